"""Forms of the role gallery; every one is used by a municipal user for their own municipality."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Project
from portfolio.widgets import DkfdsMixin

from .models import Person, Role


class PersonForm(DkfdsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "department", "user"]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the municipality's own logins; label them by full name and username.
        user = self.fields["user"]
        user.queryset = (
            get_user_model().objects.filter(municipality=municipality).order_by("username")
        )
        user.label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
        )
        user.empty_label = _("– no login –")


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_category_display()})"


class RoleAssignmentForm(DkfdsMixin, forms.Form):
    """Give a person a role, for one project or across projects."""

    role = RoleChoiceField(label=_("Role"), queryset=Role.objects.all())
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.all(),
        required=False,
        empty_label=_("All projects (across projects)"),
        help_text=_("Leave empty when the person holds the role across projects."),
    )
    started_on = forms.DateField(
        label=_("Started on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    primary = forms.BooleanField(
        label=_("Primary holder"),
        required=False,
        help_text=_("Where several hold the role, the primary holder gets the role's mail."),
    )
