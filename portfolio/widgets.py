"""Det Fælles Designsystem's classes on Django's widgets: the one rule every form uses."""

from django import forms


def dkfds_widgets(form):
    """Give each widget of `form` Det Fælles Designsystem's class for its kind."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "form-checkbox"
        elif isinstance(widget, forms.RadioSelect):
            css = "form-radio"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-input"
        widget.attrs.setdefault("class", css)
    return form


class DkfdsMixin:
    """A form whose widgets carry Det Fælles Designsystem's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dkfds_widgets(self)


class DkfdsFilterForm(DkfdsMixin, forms.Form):
    """The form class of every filterset (`Meta.form`)."""
