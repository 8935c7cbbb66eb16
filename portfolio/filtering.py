"""One policy for filter values on every list page and export, and one rule for naming another
municipality.

- A bad value answers 200: its Danish message is shown at its field, the field keeps what the
  user typed, and the list (or export) has no rows until it is corrected.
- A municipal user who names another municipality (or another municipality's object) in a
  scoped filter gets 404, as for any other municipality's object. KOMBIT staff may name any.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import MUNICIPALITY_CODE_RE, Municipality

NO_SUCH_MUNICIPALITY = _("There is no municipality with code “%(value)s”.")
NO_ROWS = _("No rows")
NO_ROWS_REASON = _(
    "Some filters could not be used, so the export has no rows. Correct them and export again."
)
ERROR_IN = _("Error in %(field)s")
# A primary key as a form submits it; longer digit runs would overflow the database's integer.
ID_RE = re.compile(r"[0-9]{1,9}")
# Echoed back in a message: long enough for any code, short enough for any page.
ECHO_LENGTH = 10


def municipality_choices(request):
    """Every municipality for KOMBIT staff; a municipal user's own; none for anyone else."""
    user = getattr(request, "user", None)
    if getattr(user, "is_kombit_staff", False):
        return Municipality.objects.all()
    if getattr(user, "municipality_id", None):
        return Municipality.objects.filter(pk=user.municipality_id)
    return Municipality.objects.none()


class MunicipalityCodeField(forms.ModelChoiceField):
    """A municipality chosen by its code; anything that is not one is reported in one text."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        error = ValidationError(
            NO_SUCH_MUNICIPALITY, code="invalid_choice", params={"value": text[:ECHO_LENGTH]}
        )
        # A malformed code (NUL bytes, 10 000 characters) never reaches the database.
        if not re.fullmatch(MUNICIPALITY_CODE_RE, text):
            raise error
        try:
            return super().to_python(text)
        except ValidationError:
            raise error from None


class MunicipalityFilter(django_filters.ModelChoiceFilter):
    """`?municipality=<code>`: any municipality for KOMBIT staff, only their own for others."""

    field_class = MunicipalityCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", municipality_choices)
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("Municipality"))
        kwargs.setdefault("empty_label", _("All municipalities"))
        super().__init__(*args, **kwargs)


class MunicipalityCodesField(forms.ModelMultipleChoiceField):
    """Several municipalities chosen by their codes (`?municipality=370&municipality=223`);
    anything that is not one is reported in one text, as for a single code."""

    widget = forms.SelectMultiple

    def clean(self, value):
        for text in value or ():
            if text not in self.empty_values and not re.fullmatch(MUNICIPALITY_CODE_RE, str(text)):
                raise ValidationError(
                    NO_SUCH_MUNICIPALITY,
                    code="invalid_choice",
                    params={"value": str(text)[:ECHO_LENGTH]},
                )
        return super().clean([text for text in value or () if text not in self.empty_values])

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code not in ("invalid_choice", "invalid_pk_value"):
                raise
            known = {
                str(code)
                for code in self.queryset.filter(code__in=value).values_list("code", flat=True)
            }
            unknown = next((str(v) for v in value if str(v) not in known), "")
            raise ValidationError(
                NO_SUCH_MUNICIPALITY, code="invalid_choice", params={"value": unknown[:ECHO_LENGTH]}
            ) from None


class MunicipalitiesFilter(django_filters.ModelMultipleChoiceFilter):
    """`?municipality=<code>`, repeatable: any municipalities for KOMBIT staff, only their own
    for others (anything else is a form error, which the views turn into 404)."""

    field_class = MunicipalityCodesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", municipality_choices)
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("Municipality"))
        kwargs.setdefault("distinct", False)
        kwargs.setdefault("help_text", _("Choose several to compare them."))
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        # django-filter would compare the field with the code (`to_field_name`), i.e. as a pk.
        return {self.field_name: v}


def refuse_other_municipality(request, name="municipality"):
    """Raise 404 when a municipal user names a municipality other than their own in `?name=`.

    For pages without a municipality filter (the dashboard); filtersets use `check_scope`."""
    user = request.user
    if user.is_kombit_staff:
        return
    codes = [code for code in request.GET.getlist(name) if code]
    if codes and (not user.municipality_id or set(codes) != {user.municipality.code}):
        raise Http404


def refuse_foreign_ids(data, names, queryset, municipality_id):
    """Raise 404 when an id submitted in a field of `names` is a row of `queryset` (a model with
    a `municipality`) that belongs to another municipality than `municipality_id`.

    For forms: an id of one's own municipality that is not a choice (a retired person) stays a
    form error at its field; another municipality's is a 404, as its page would be."""
    ids = {value for name in names for value in data.getlist(name) if ID_RE.fullmatch(value)}
    if ids and queryset.filter(pk__in=ids).exclude(municipality_id=municipality_id).exists():
        raise Http404


def check_scope(request, filterset, scoped=("municipality",)):
    """Raise 404 when a municipal user's value for a scoped filter is not theirs to name.

    The scoped filters' choices are the user's own municipality (and its objects), so any
    error on them means another municipality was named (or none that exists)."""
    if request.user.is_kombit_staff or not filterset.is_bound:
        return
    errors = filterset.form.errors
    if any(name in errors for name in scoped if name in filterset.filters):
        raise Http404


def is_usable(filterset):
    """True when the filterset's rows may be shown: unbound or every value valid."""
    return not filterset.is_bound or filterset.is_valid()


def filtered(filterset):
    """The filterset's rows, or none at all while any value is bad (never half-filtered)."""
    return filterset.qs if is_usable(filterset) else filterset.queryset.none()


def filter_errors(filterset):
    """(label, text) rows saying why an export of a bad query has no rows; [] when valid."""
    if is_usable(filterset):
        return []
    fields = filterset.form.fields
    rows = [(NO_ROWS, NO_ROWS_REASON)]
    for name, errors in filterset.form.errors.items():
        label = fields[name].label if name in fields else name
        rows.extend((ERROR_IN % {"field": label}, error) for error in errors)
    return rows


class FilterPolicyMixin:
    """For a FilterView (list page or export): the scoped filters answer 404 for another
    municipality, and a bad value lists nothing (`strict`). Templates show each error at its
    field and `includes/filter_errors.html` above the form."""

    scoped_filters = ("municipality",)
    strict = True

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        check_scope(self.request, filterset, self.scoped_filters)
        return filterset
