"""Validators the text fields of every app share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .spreadsheets import XML_FORBIDDEN_RE

FORBIDDEN_CHARACTER = _(
    "The text contains a character that cannot be saved (%(character)s). Remove it and try again."
)


def validate_xml_text(value):
    """Refuses text holding a character XML 1.0 forbids (control characters but tab and line
    breaks, U+FFFE, U+FFFF, lone surrogates): no export could write it."""
    match = XML_FORBIDDEN_RE.search(value)
    if match:
        raise ValidationError(
            FORBIDDEN_CHARACTER,
            code="forbidden_character",
            params={"character": f"U+{ord(match.group()):04X}"},
        )
