from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from klik.models import field_label

register = template.Library()


@register.filter
def task_field_label(name):
    """The translated label of a task field or history event, e.g. "responsible" → "Ansvarlig"."""
    return field_label(name)


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
