"""The form for one login of the municipality."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.validators import validate_xml_text
from portfolio.widgets import dkfds_widgets
from rollegalleri.models import Person

from .services import Role, holds_admin, role_of


class UserForm(forms.Form):
    """Name, e-mail, role, administration, person and (when editing) whether it is active."""

    username = forms.CharField(label=_("Username"), max_length=150, validators=[validate_xml_text])
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[validate_xml_text]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, required=False, validators=[validate_xml_text]
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("The password link is sent here."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_administrator = forms.BooleanField(
        label=_("KLIK-administrator (manages the municipality's users)"), required=False
    )
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("Person in the role gallery"),
        required=False,
        empty_label=_("– no person –"),
    )
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False)

    def __init__(self, *args, municipality, user=None, **kwargs):
        if user is not None:
            person = getattr(user, "person", None)
            kwargs["initial"] = {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": role_of(user),
                "is_administrator": holds_admin(user),
                "person": person.pk if person else None,
                "is_active": user.is_active,
            }
        super().__init__(*args, **kwargs)
        linked_here = Q(user=user) if user is not None else Q(pk__in=[])
        self.fields["person"].queryset = (
            Person.objects.filter(municipality=municipality)
            .filter(Q(user__isnull=True) | linked_here)
            .order_by("name", "pk")
        )
        if user is None:
            del self.fields["is_active"]
        else:
            # The username is the login's name for good; the history refers to it.
            self.fields["username"].disabled = True
        dkfds_widgets(self)
