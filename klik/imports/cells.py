"""Reading one cell of an imported sheet: headers, text, dates, states, kinds and links.

Every parser returns the value or raises ValidationError with a Danish message."""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import State, Task

NOT_A_DATE = _("“%(value)s” is not a date; write it as 31-12-2026 or 2026-12-31.")
NO_SUCH_DATE = _("The date “%(value)s” does not exist.")
AMBIGUOUS_DATE = _(
    "The date “%(value)s” can be read in more than one way; write it as 31-12-2026 or 2026-12-31."
)
UNKNOWN_STATE = _("Unknown state “%(value)s”; choose one of: %(choices)s.")
UNKNOWN_KIND = _("Unknown type “%(value)s”; choose one of: %(choices)s.")
FORMULA_WITHOUT_VALUE = _(
    "The cell holds a formula without a saved result; formulas are never calculated here. "
    "Write the value itself."
)

# Header names as the sheets write them, after normalise(); the first is the export's.
ROUND_TRIP_COLUMNS = {
    "link": ("link", "url"),
    "state": ("tilstand", "state"),
    "responsible": ("ansvarlig", "responsible"),
    "executor": ("udfører", "udfoerer", "executor"),
}
CATALOGUE_COLUMNS = {
    "title": ("opgave", "titel", "opgavetitel", "opgavenavn", "title"),
    "deadline": ("slutdato", "deadline", "frist"),
    "starts_on": ("startdato", "start", "startdate"),
    "published_on": ("publiceret", "publiceringsdato", "published"),
    "project": ("projekt", "project"),
    "support_system": ("støttesystem", "støttesystemer", "stoettesystem", "supportsystem"),
    "interfaces": ("snitflader", "snitflade", "interfaces", "sfkoder"),
    "klik_reference": ("klikid", "opgaveid", "klikreference", "klikref", "reference"),
    "description": ("beskrivelse", "description"),
    "kind": ("type", "opgavetype", "kind"),
    # The export's "Oprindelse": a row marked "Lokal opgave" is a municipality's own task.
    "origin": ("oprindelse", "origin"),
}

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DAY_FIRST = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")
SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SHORT_YEAR = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2}$")
LINK = re.compile(r"/klik/(\d+)/?$")


class Formula:
    """A formula cell whose file holds no saved result: refused, never calculated."""

    def __bool__(self):
        return True


FORMULA = Formula()


def normalise(value):
    """`value` for comparing names: case, spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", str(value)).casefold())


def text(value):
    """A cell as stripped text ("" when empty); 12.0 reads as "12"."""
    if value is FORMULA:
        raise ValidationError(FORMULA_WITHOUT_VALUE)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%d-%m-%Y")
    return str(value).strip()


def parse_date(value):
    """A date cell, or text in one unambiguous format; None when empty."""
    if value is FORMULA:
        raise ValidationError(FORMULA_WITHOUT_VALUE)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    params = {"value": raw}
    if match := ISO_DATE.match(raw):
        year, month, day = match.groups()
    elif match := DAY_FIRST.match(raw):
        day, month, year = match.groups()
    elif match := SLASHED.match(raw):
        first, second, year = match.groups()
        if int(first) <= 12 and int(second) <= 12 and first != second:
            raise ValidationError(AMBIGUOUS_DATE, params=params)
        day, month = (second, first) if int(second) > 12 else (first, second)
    elif SHORT_YEAR.match(raw) or isinstance(value, int | float):
        raise ValidationError(AMBIGUOUS_DATE, params=params)
    else:
        raise ValidationError(NOT_A_DATE, params=params)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(NO_SUCH_DATE, params=params) from None


def _choice(value, choices, message, labels):
    raw = text(value)
    wanted = normalise(raw)
    for key, names in choices.items():
        if wanted in names:
            return key
    shown = ", ".join(str(label) for label in labels)
    raise ValidationError(message, params={"value": raw, "choices": shown})


def parse_state(value):
    """A municipality task's state, by its Danish label or its URL value."""
    choices = {s.value: (normalise(s.label), normalise(s.value)) for s in State}
    return _choice(value, choices, UNKNOWN_STATE, State.labels)


KIND_ALIASES = {
    Task.Kind.BASIS: ("basis",),
    Task.Kind.SOLUTION: ("løsningsspecifik", "løsning", "solution"),
    Task.Kind.PROGRAMME: ("program", "programme"),
}


def parse_kind(value):
    """A task's kind by its Danish label, its value or a short form."""
    choices = {
        kind.value: (normalise(kind.label), normalise(kind.value), *KIND_ALIASES[kind])
        for kind in Task.Kind
    }
    return _choice(value, choices, UNKNOWN_KIND, Task.Kind.labels)


def parse_link(value):
    """The municipality task id in a Link cell (…/klik/<id>/), or None."""
    try:
        raw = text(value)
    except ValidationError:
        return None
    if raw.isdigit():
        return int(raw)
    match = LINK.search(raw)
    return int(match.group(1)) if match else None


def message(error):
    """A ValidationError's first message, its parameters filled in."""
    return error.messages[0]
