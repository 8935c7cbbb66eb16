"""Job 1: a programme leader's edited export comes back. Only state, responsible and executor
of the municipality's own tasks change, each through municipality_task_apply (the single
edit's rules and history), written in bulk."""

import difflib
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollegalleri.models import Person

from ..models import MunicipalityTask, MunicipalityTaskChange, State
from ..services import NOT_YOUR_MUNICIPALITY, may_change, municipality_task_apply
from ..templatetags.klik import task_field_label
from .cells import message, parse_link, parse_state, text
from .report import REFUSED, UNCHANGED, UPDATED, ImportRefused, Planned, result

NO_EXPORT_TIME = _(
    "The file has no export time: the sheet “Filtre” with the row “Eksporteret” is missing. "
    "Export the list again and make your changes in the new file."
)
NOT_YOUR_TASK = _("The link does not point to one of %(municipality)s's tasks.")
NO_LINK = _("The cell holds no link to a task (…/klik/<id>/).")
DELETED_TASK = _("The local task was deleted in the app, so the row was not imported.")
DUPLICATE_ROW = _("The same task is also in row %(row)s.")
STALE_ROW = _(
    "The task was changed in the app after the export (%(exported)s), so the row was not "
    "imported: %(changes)s. Export again and make your changes in the new file."
)
CHANGE_SINCE = _("%(when)s – %(who)s changed %(field)s from «%(old)s» to «%(new)s»")
PERSON_UNKNOWN = _("No person “%(value)s” in %(municipality)s.")
PERSON_AMBIGUOUS = _(
    "“%(value)s” matches several persons in %(municipality)s; write the e-mail instead."
)
CANDIDATES = _("Candidates: %(names)s.")
SAVED_SINCE_PLAN = _("Someone saved the task while the import ran; import the file again.")

FIELDS = ("state", "responsible", "executor")
# What a row's write saves, beside the history rows.
SAVED_FIELDS = [*FIELDS, "version", "updated_at", "updated_by"]
# The rows never move a task to another task or municipality, and their persons are the
# municipality's own (Persons below), so these need no query per row (as in klik.bulk).
CHECKED_ONCE = ["task", "municipality", "responsible", "executor", "updated_by"]
BATCH = 500


class ChangedDuringImport(Exception):
    """A task was saved between the plan and its write: the whole import is undone."""


class RoundTrip:
    """Plans and applies the rows of one municipality's edited export."""

    def __init__(self, table, municipality, user):
        self.table = table
        self.municipality = municipality
        self.user = user

    def plan(self, progress=None):
        """A Planned per row; reads only."""
        table = self.table
        if table.exported_at is None:
            raise ImportRefused(NO_EXPORT_TIME)
        ids = {number: parse_link(cells.get("link")) for number, cells in table.rows}
        tasks = {
            mt.pk: mt
            for mt in MunicipalityTask.objects.filter(
                municipality=self.municipality, pk__in={pk for pk in ids.values() if pk}
            ).select_related("task", "responsible", "executor")
        }
        self.persons = Persons(self.municipality)
        self.stale = changes_after(tasks, table.exported_at)
        seen = {}
        return [
            self._plan_row(number, cells, tasks.get(ids[number]), ids[number], seen)
            for number, cells in table.rows
        ]

    def _plan_row(self, number, cells, mt, pk, seen):
        table, link = self.table, self.table.header("link")
        if pk is None:
            return Planned(result(table, number, REFUSED, link, NO_LINK))
        if mt is None:
            reason = NOT_YOUR_TASK % {"municipality": self.municipality.name}
            return Planned(result(table, number, REFUSED, link, reason))
        if mt.task.deleted_at is not None:
            return Planned(result(table, number, REFUSED, link, DELETED_TASK, mt.task.title))
        if pk in seen:
            reason = DUPLICATE_ROW % {"row": seen[pk]}
            return Planned(result(table, number, REFUSED, link, reason, mt.task.title))
        seen[pk] = number
        data, shown = {}, []
        for name in FIELDS:
            if name not in table.columns:
                continue
            try:
                value = self._parse(name, cells.get(name), mt)
            except ValidationError as error:
                column, reason = table.header(name), message(error)
                return Planned(result(table, number, REFUSED, column, reason, mt.task.title))
            if value != getattr(mt, name):
                data[name] = value
                before, after = _shown(getattr(mt, name)), _shown(value)
                shown.append(f"{table.header(name)}: «{before}» → «{after}»")
        if not data:
            return Planned(result(table, number, UNCHANGED, label=mt.task.title))
        if self.stale.get(pk):
            return Planned(result(table, number, REFUSED, link, self._stale(pk), mt.task.title))
        planned = result(table, number, UPDATED, reason="; ".join(shown), label=mt.task.title)
        return Planned(planned, (mt, data, mt.version))

    def _parse(self, name, value, mt):
        if name == "state":
            return parse_state(value)
        return self.persons.find(text(value), current=getattr(mt, name))

    def _stale(self, pk):
        exported = timezone.localtime(self.table.exported_at)
        return STALE_ROW % {
            "exported": formats.date_format(exported, "DATETIME_FORMAT"),
            "changes": "; ".join(change_text(c) for c in self.stale[pk]),
        }

    def apply(self, actions, progress=None):
        """Write the planned changes, each entering the task's history as the user's edit.

        The tasks are locked in one query; any saved since the plan (another version) undoes
        the whole import. Then the rows are written in bulk: a fixed number of queries per
        500 rows, whatever the size of the file."""
        planned = {mt.pk: (data, version) for mt, data, version in actions}
        locked = list(
            MunicipalityTask.objects.select_for_update(of=("self",))
            .filter(pk__in=planned)
            .select_related("task", "responsible", "executor")
            .order_by("pk")
        )
        if len(locked) != len(planned):
            raise ChangedDuringImport(SAVED_SINCE_PLAN)
        now = timezone.now()
        saved, history = [], []
        for done, task in enumerate(locked, start=1):
            data, version = planned[task.pk]
            if not may_change(self.user, task):
                raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
            if task.version != version or task.task.deleted_at is not None:
                raise ChangedDuringImport(SAVED_SINCE_PLAN)
            try:
                changes = municipality_task_apply(
                    task=task, user=self.user, data=data, now=now, exclude=CHECKED_ONCE
                )
            except ValidationError as error:
                raise ChangedDuringImport(SAVED_SINCE_PLAN) from error
            if changes:
                saved.append(task)
                history += changes
            if progress and done % BATCH == 0:
                progress(
                    gettext("Checked %(done)s of %(total)s rows")
                    % {"done": done, "total": len(locked)}
                )
        MunicipalityTask.objects.bulk_update(saved, SAVED_FIELDS, batch_size=BATCH)
        MunicipalityTaskChange.objects.bulk_create(history, batch_size=2000)
        if progress and saved:
            progress(gettext("Saved %(count)s rows") % {"count": len(saved)})


def changes_after(tasks, moment):
    """{task id: [its recorded changes after `moment`]}, oldest first, in one query."""
    changes = defaultdict(list)
    query = MunicipalityTaskChange.objects.filter(
        municipality_task_id__in=list(tasks), changed_at__gt=moment
    ).select_related("changed_by")
    for change in query.order_by("changed_at", "pk"):
        changes[change.municipality_task_id].append(change)
    return changes


def _shown(value):
    if value is None:
        return "–"
    if isinstance(value, str) and value in State.values:
        return str(State(value).label)
    return str(value)


def change_text(change):
    """One recorded change as the stale form shows it: when, who, field, from, to."""
    who = change.changed_by
    return CHANGE_SINCE % {
        "when": formats.date_format(timezone.localtime(change.changed_at), "DATETIME_FORMAT"),
        "who": (who.get_full_name() or who.username) if who else gettext("unknown"),
        "field": task_field_label(change.field),
        "old": change.old_value or "–",
        "new": change.new_value or "–",
    }


class Persons:
    """The municipality's active persons, found by e-mail, else by exact name."""

    def __init__(self, municipality):
        self.municipality = municipality
        active = list(Person.objects.filter(municipality=municipality, retired_on__isnull=True))
        self.by_email = {p.email.casefold(): p for p in active if p.email}
        self.by_name = defaultdict(list)
        for person in active:
            self.by_name[person.name.strip()].append(person)

    def find(self, value, *, current=None):
        """The person `value` names, or None for an empty cell; `current` (who is on the task
        now, retired or not) when the cell still names them."""
        if not value:
            return None
        if current is not None and value in (current.name, current.email):
            return current
        if "@" in value:
            person = self.by_email.get(value.casefold())
            if person is None:
                self._refuse(PERSON_UNKNOWN, value)
            return person
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(f"{p.name} <{p.email}>" if p.email else p.name for p in found)
            self._refuse(PERSON_AMBIGUOUS, value, names)
        close = difflib.get_close_matches(value, list(self.by_name), n=5, cutoff=0.6)
        self._refuse(PERSON_UNKNOWN, value, ", ".join(close))

    def _refuse(self, template, value, names=""):
        reason = template % {"value": value, "municipality": self.municipality.name}
        if names:
            reason = f"{reason} {CANDIDATES % {'names': names}}"
        raise ValidationError(reason)
