"""The municipality's edit form for one KLIK task."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.models import fields_for_model, model_to_dict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portfolio.filtering import ECHO_LENGTH, ID_RE
from portfolio.validators import validate_xml_text
from portfolio.widgets import DkfdsMixin, dkfds_widgets
from rollegalleri.models import Person

from .models import MunicipalityTask, Task
from .services import EDITABLE_FIELDS, LOCAL_TASK_FIELDS
from .uploads import ALLOWED_TYPES, allowed_extensions

HOLDS_NEEDED_ROLE = _("holds one of the roles the task needs")


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of ids where a value that is no id of any row (too long a number, say,
    which the database's integer would overflow on) is refused as an invalid choice before
    any query."""

    def _check_values(self, value):
        for pk in value:
            if not ID_RE.fullmatch(str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:ECHO_LENGTH]},
                )
        return super()._check_values(value)


def person_choices(municipality_task):
    """Active persons of the task's municipality (plus whoever is on the task now), each with
    `holds_role`: they hold a role the task needs."""
    task = municipality_task.task
    on_task = [pk for pk in (municipality_task.responsible_id, municipality_task.executor_id) if pk]
    return (
        Person.objects.filter(municipality_id=municipality_task.municipality_id)
        .filter(Q(retired_on__isnull=True) | Q(pk__in=on_task))
        .with_role_match(task.roles.all(), task.project_id)
    )


def refreshed_data(form, municipality_task):
    """The submitted data moved onto the task as it is now: the fields this user changed keep
    their values, the others show the current ones, and the version is the current one."""
    current = MunicipalityTaskForm(municipality_task=municipality_task)
    data = form.data.copy()
    for name in EDITABLE_FIELDS:
        value = current.initial[name]
        shown = "" if value is None else str(value)
        if name not in form.changed_data:
            data.pop(name, None)
            if name != "needs_help" or value:
                data[name] = shown
        data[form.add_initial_prefix(name)] = shown
    data["version"] = str(municipality_task.version)
    return data


def _person_label(person):
    if person.holds_role:
        return f"{person.name} ({HOLDS_NEEDED_ROLE})"
    return person.name


class MunicipalityTaskForm(forms.Form):
    """State, people, needs-help and note; `version` carries the task version the form showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, municipality_task: MunicipalityTask, **kwargs):
        initial = model_to_dict(municipality_task, fields=EDITABLE_FIELDS)
        initial["version"] = municipality_task.version
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(fields_for_model(MunicipalityTask, fields=EDITABLE_FIELDS))
        persons = person_choices(municipality_task)
        self.fields["responsible"].queryset = persons.order_by("name", "pk")
        self.fields["executor"].queryset = persons.order_by("-holds_role", "name", "pk")
        for name in ("responsible", "executor"):
            self.fields[name].label_from_instance = _person_label
            self.fields[name].empty_label = _("– nobody yet –")
        self.fields["note"].widget.attrs["rows"] = 4
        # The values the user started from travel with the form, so a refused save can tell
        # what this user changed from what someone else changed in the meantime.
        for name in EDITABLE_FIELDS:
            self.fields[name].show_hidden_initial = True
        dkfds_widgets(self)


class EscalationForm(DkfdsMixin, forms.Form):
    """Mark a task as escalated with a short note, or remove the mark, at the version shown."""

    action = forms.ChoiceField(choices=[("mark", "mark"), ("unmark", "unmark")])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    note = forms.CharField(
        label=_("Note for the escalation"),
        max_length=200,
        required=False,
        validators=[validate_xml_text],
        help_text=_("Short: whom you have contacted, or what the task waits for."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def back_url(self, request, default):
        """Where the form was sent from, if it is a page of this site: a path (redirect() would
        take anything else, "0" say, for a view name to reverse, and fail)."""
        target = self.data.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return default


class LocalTaskForm(forms.ModelForm):
    """A municipality's own task: what KOMBIT's tasks carry, plus (when created) its people."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False
    )

    class Meta:
        model = Task
        fields = LOCAL_TASK_FIELDS
        field_classes = {"interfaces": IdsChoiceField, "roles": IdsChoiceField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            # A list box, not DKFDS's single-select look, so several can be chosen.
            "interfaces": forms.SelectMultiple(attrs={"size": 6, "class": "form-input"}),
            "roles": forms.SelectMultiple(attrs={"size": 6, "class": "form-input"}),
        }

    def __init__(self, *args, municipality, municipality_task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].help_text = _("Empty: today.")
        self.fields["project"].empty_label = _("– no project –")
        self.fields["support_system"].empty_label = _("– no support system –")
        for name in ("interfaces", "roles"):
            self.fields[name].help_text = _("Hold Ctrl (or Cmd) down to choose several.")
        if municipality_task is None:
            persons = Person.objects.filter(municipality=municipality, retired_on__isnull=True)
            for name in ("responsible", "executor"):
                label = MunicipalityTask._meta.get_field(name).verbose_name
                self.fields[name] = forms.ModelChoiceField(
                    persons.order_by("name", "pk"),
                    required=False,
                    label=capfirst(label),
                    empty_label=_("– nobody yet –"),
                )
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial["version"] = municipality_task.version
        dkfds_widgets(self)


class AttachmentForm(forms.Form):
    """One file; its rules are checked by the service (klik.uploads.upload_check)."""

    file = forms.FileField(label=_("File"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(allowed)s; at most %(limit)s MB.") % {
            "allowed": allowed_extensions(),
            "limit": round(settings.KLIK_ATTACHMENT_MAX_BYTES / 1024 / 1024),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_TYPES)
        dkfds_widgets(self)
