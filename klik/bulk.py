"""Bulk assignment from the KLIK list: one form sets responsible, executor, state or needs-help
on many tasks of the user's municipality, each with the version the list showed."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.widgets import DkfdsMixin
from rollegalleri.models import Person

from .models import MunicipalityTask, MunicipalityTaskChange, State
from .services import NOT_YOUR_MUNICIPALITY, may_change, municipality_task_apply

NO_TASKS = _("Select at least one task.")
NO_CHANGE = _("Choose at least one change.")
BAD_SELECTION = _("The selection could not be read. Load the list again and select anew.")
UNCHANGED = _("– unchanged –")
BULK_FIELDS = ("responsible", "executor", "state", "needs_help")


class TaskVersionsField(forms.Field):
    """Selected tasks as `<id>:<version>` values → {id: version}."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        pairs = {}
        for item in value or ():
            pk, _, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()) or len(pk) > 18 or len(version) > 9:
                raise ValidationError(BAD_SELECTION, code="invalid")
            pairs[int(pk)] = int(version)
        return pairs


class BulkUpdateForm(DkfdsMixin, forms.Form):
    """What to set on the selected tasks; an empty field leaves that field as it is."""

    tasks = TaskVersionsField(required=False)
    all_on_page = forms.BooleanField(required=False, label=_("Select all on the page"))
    page_tasks = TaskVersionsField(required=False)
    responsible = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Responsible")
    )
    executor = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Executor")
    )
    state = forms.ChoiceField(
        choices=[("", UNCHANGED), *State.choices], required=False, label=_("State")
    )
    needs_help = forms.TypedChoiceField(
        choices=[("", UNCHANGED), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        label=_("Needs help"),
    )
    # The list's query string, so the user returns to the same rows.
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, municipality_id, **kwargs):
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        persons = Person.objects.filter(municipality_id=municipality_id).active()
        for name in ("responsible", "executor"):
            self.fields[name].queryset = persons.order_by("name", "pk")
            self.fields[name].empty_label = UNCHANGED

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        selected = dict(cleaned.get("tasks") or {})
        if cleaned.get("all_on_page"):
            selected = {**(cleaned.get("page_tasks") or {}), **selected}
        if not selected:
            raise ValidationError(NO_TASKS, code="no_tasks")
        if not self.changes_from(cleaned):
            raise ValidationError(NO_CHANGE, code="no_change")
        cleaned["selected"] = selected
        return cleaned

    @staticmethod
    def changes_from(cleaned):
        """{field: value} of the fields the user chose to set."""
        changes = {}
        for name in BULK_FIELDS:
            value = cleaned.get(name)
            if value not in (None, ""):
                changes[name] = value
        return changes

    @property
    def changes(self):
        return self.changes_from(self.cleaned_data)


def selected_tasks(*, user, selected):
    """The selected tasks, loaded for the bulk pages in one query; 404 when any is not the
    user's municipality's (or does not exist), PermissionDenied for users who may not change
    tasks at all (KOMBIT staff)."""
    if not user.municipality_id and not user.is_superuser:
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    tasks = list(
        MunicipalityTask.objects.visible_to(user)
        .filter(pk__in=selected)
        .with_colour()
        .select_related("task", "responsible", "executor")
        .order_by("task__deadline", "pk")
    )
    if len(tasks) != len(selected):
        raise Http404
    return tasks


def changes_since(selected, tasks):
    """{task id: [changes after the selected version]} for the tasks saved since the list was
    loaded, in one query."""
    stale = [t for t in tasks if t.version != selected[t.pk]]
    if not stale:
        return {}
    since = Q(pk__in=[])
    for task in stale:
        since |= Q(municipality_task_id=task.pk, version__gt=selected[task.pk])
    found = {task.pk: [] for task in stale}
    for change in MunicipalityTaskChange.objects.filter(since).select_related("changed_by__person"):
        found[change.municipality_task_id].append(change)
    return found


@dataclass
class BulkResult:
    saved: list = field(default_factory=list)  # tasks changed, with their history rows
    unchanged: list = field(default_factory=list)  # tasks that already had these values
    refused: dict = field(default_factory=dict)  # task -> changes someone else made since


# The history's and version's fields a bulk save writes, beside the ones the user sets.
SAVED_FIELDS = [*BULK_FIELDS, "version", "updated_at", "updated_by"]
# A bulk save never moves a task to another task or municipality, and its persons come from the
# form's queryset of the municipality's own persons, so these need no query per row.
CHECKED_ONCE = ["task", "municipality", "responsible", "executor", "updated_by"]


@transaction.atomic
def municipality_tasks_bulk_update(*, user, selected: dict, data: dict) -> BulkResult:
    """Apply `data` to every selected task ({id: version the user saw}) in one transaction.

    Each task goes through services.municipality_task_apply, the single edit's rules and
    history. A task saved by someone else since the user's version is refused and reported with
    what changed; the rest are saved. Raises Http404 when any id is not the user's
    municipality's, PermissionDenied for users who may not change tasks. A fixed number of
    queries, whatever the number of tasks.
    """
    selected_tasks(user=user, selected=selected)  # 404 / 403 before anything is locked
    tasks = list(
        MunicipalityTask.objects.select_for_update(of=("self",))
        .filter(pk__in=selected)
        .select_related("task", "responsible", "executor")
        .order_by("pk")
    )
    result = BulkResult()
    stale = changes_since(selected, tasks)
    now = timezone.now()
    history = []
    for task in tasks:
        if not may_change(user, task):
            raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
        if task.pk in stale:
            result.refused[task] = stale[task.pk]
            continue
        changes = municipality_task_apply(
            task=task, user=user, data=data, now=now, exclude=CHECKED_ONCE
        )
        (result.saved if changes else result.unchanged).append(task)
        history += changes
    if result.saved:
        MunicipalityTask.objects.bulk_update(result.saved, SAVED_FIELDS)
        MunicipalityTaskChange.objects.bulk_create(history)
    return result
