from django import template

from klik.models import field_label

register = template.Library()


@register.filter
def task_field_label(name):
    """The translated label of a task field, e.g. "responsible" → "Ansvarlig"."""
    return field_label(name)
