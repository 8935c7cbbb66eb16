"""Text fields refuse what no export could write, with a Danish message naming the character."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import example, given

from portfolio.validators import FORBIDDEN_CHARACTER, validate_xml_text
from tests.unicode import EXAMPLES, any_text, xml_allowed

# Free text users or admins type. Codes, slugs, e-mails, links and choices have their own rules;
# the task change log is written from fields validated already.
NOT_FREE_TEXT = {
    ("portfolio", "user"),
    ("klik", "municipalitytaskchange"),
}


@EXAMPLES
@given(text=any_text)
@example(text="\uffff")
@example(text="\ufffe")
@example(text="\ud800")
@example(text="Tab\tLF\nCR\r fine \ufffd\U0010ffff")
def test_the_validator_refuses_exactly_the_characters_xml_forbids(text):
    forbidden = [c for c in text if not xml_allowed(c)]
    if forbidden:
        with pytest.raises(ValidationError) as refused:
            validate_xml_text(text)
        assert refused.value.code == "forbidden_character"
        assert refused.value.params == {"character": f"U+{ord(forbidden[0]):04X}"}
    else:
        validate_xml_text(text)


def test_the_message_is_danish_and_names_the_character(danish):
    with pytest.raises(ValidationError) as refused:
        validate_xml_text("Ane\uffff")
    assert refused.value.messages == [str(FORBIDDEN_CHARACTER) % {"character": "U+FFFF"}]
    assert refused.value.messages[0].startswith("Teksten indeholder et tegn")


def free_text_fields():
    """Every plain CharField and TextField without choices or a rule of its own."""
    for app in ("portfolio", "rollegalleri", "klik", "notifikationer"):
        for model in apps.get_app_config(app).get_models():
            if (app, model._meta.model_name) in NOT_FREE_TEXT:
                continue
            for field in model._meta.fields:
                plain = type(field) in (models.CharField, models.TextField)
                own_rule = any(v is not validate_xml_text for v in field._validators)
                if plain and not field.choices and not own_rule:
                    yield field


FREE_TEXT_FIELDS = list(free_text_fields())


def test_persons_tasks_and_notes_are_among_the_free_text_fields():
    names = {f"{f.model._meta.label}.{f.name}" for f in FREE_TEXT_FIELDS}
    assert {
        "rollegalleri.Person.name",
        "klik.Task.title",
        "klik.Task.description",
        "klik.Task.klik_reference",
        "klik.MunicipalityTask.note",
    } <= names


@pytest.mark.parametrize("field", FREE_TEXT_FIELDS, ids=lambda f: f"{f.model._meta.label}.{f.name}")
def test_every_free_text_field_carries_the_validator(field):
    assert validate_xml_text in field.validators
