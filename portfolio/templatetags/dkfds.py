"""Template helpers of templates/includes/form_field.html."""

from django import template

register = template.Library()


@register.filter
def hidden_initial(field):
    """The hidden copy of the value `field` was loaded with, when its form asks for one.

    Django writes it straight after the widget, which would part a DKFDS checkbox from the
    label it styles (`.form-checkbox + label`); the partial writes it after the label instead.
    """
    return field.as_hidden(only_initial=True) if field.field.show_hidden_initial else ""
