from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from klik.models import MunicipalityTask

register = template.Library()


@register.filter
def task_field_label(name):
    """The translated label of a municipality task field, e.g. "responsible" → "Ansvarlig"."""
    try:
        return capfirst(MunicipalityTask._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
