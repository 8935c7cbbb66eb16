from django import template
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from klik.models import MunicipalityTask

register = template.Library()


@register.filter
def task_field_label(name):
    """The translated label of a municipality task field, e.g. "responsible" → "Ansvarlig"."""
    try:
        field = MunicipalityTask._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A reverse one-to-one (the escalation mark) is named by its model.
    label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
    return capfirst(label)


@register.filter
def who(user):
    """A user as the history names them: their person's name, else their full name, else
    their username. Load `person` with the user (select_related) to keep it one query."""
    if user is None:
        return _("unknown")
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    return person.name if person else user.get_full_name() or user.username
