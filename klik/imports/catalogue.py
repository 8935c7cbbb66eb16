"""Job 2: KOMBIT's catalogue from a KLIK-style sheet. New tasks are published in bulk with
tasks_publish (every municipality gets its copy); existing ones are updated."""

import copy
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Interface, Municipality, Project, SupportSystem

from ..models import Origin, Task
from ..services import tasks_publish
from .cells import message, normalise, parse_date, parse_kind, text
from .report import CREATED, REFUSED, UNCHANGED, UPDATED, Planned, result

TITLE_MISSING = _("The task has no title.")
UNKNOWN_PROJECT = _("Unknown project “%(value)s”; write its short name or slug.")
UNKNOWN_SUPPORT_SYSTEM = _("Unknown support system “%(value)s”; write its name or slug.")
UNKNOWN_INTERFACES = _("Unknown interfaces: %(value)s; write SF codes such as SF1511.")
DEADLINE_BEFORE_START = _("The deadline (%(deadline)s) is before the start date (%(start)s).")
AMBIGUOUS_TASK = _("The row matches %(count)s tasks; add the KLIK reference to tell them apart.")
DUPLICATE_TASK = _("The same task is also in row %(row)s.")
PUBLISHED_TO = _("New task, published to %(count)s municipalities.")
LOCAL_ROW = _(
    "The row is a municipality's local task (“Lokal opgave”); the catalogue holds KOMBIT's "
    "tasks only, so it was not imported."
)

TEXT_FIELDS = ("title", "description", "klik_reference")
DATE_FIELDS = ("starts_on", "deadline", "published_on")
SPLIT_CODES = re.compile(r"[\s,;]+")


class CellError(Exception):
    def __init__(self, key, reason):
        super().__init__(reason)
        self.key, self.reason = key, str(reason)


class Catalogue:
    """Plans and applies the rows of a KLIK-style catalogue sheet."""

    def __init__(self, table, user):
        self.table = table
        self.user = user

    def plan(self, progress=None):
        """A Planned per row; reads only (a handful of queries, whatever the row count)."""
        self.projects = _lookup(Project.objects.all(), "short_name", "slug")
        self.systems = _lookup(SupportSystem.objects.all(), "name", "slug")
        self.interfaces = {normalise(i.code): i.pk for i in Interface.objects.all()}
        self.municipalities = Municipality.objects.count()
        # A municipality's local tasks are never matched, updated or counted here.
        self._index(Task.objects.kombit().select_related("project", "support_system"))
        seen = {}
        planned = []
        for done, (number, cells) in enumerate(self.table.rows, start=1):
            try:
                planned.append(self._plan_row(number, cells, seen))
            except CellError as error:
                column = self.table.header(error.key)
                planned.append(Planned(result(self.table, number, REFUSED, column, error.reason)))
            if progress and done % 1000 == 0:
                progress(f"{done}/{len(self.table.rows)}")
        return planned

    def _index(self, tasks):
        self.by_ref, self.by_key, self.by_title = defaultdict(list), defaultdict(list), {}
        self.links = defaultdict(set)
        for task in tasks:
            if task.klik_reference:
                self.by_ref[task.klik_reference].append(task)
            self.by_key[(task.project_id, normalise(task.title))].append(task)
            self.by_title.setdefault(normalise(task.title), []).append(task)
        through = Task.interfaces.through.objects.filter(
            task__municipality__isnull=True
        ).values_list("task_id", "interface_id")
        for task_id, interface_id in through:
            self.links[task_id].add(interface_id)

    def _plan_row(self, number, cells, seen):
        values, interfaces = self._parse(cells)
        matches, key = self._match(values)
        if key in seen:
            raise CellError("title", DUPLICATE_TASK % {"row": seen[key]})
        seen[key] = number
        if len(matches) > 1:
            raise CellError("title", AMBIGUOUS_TASK % {"count": len(matches)})
        task = matches[0] if matches else None
        self._check_dates(values, task)
        if task is None:
            return self._plan_create(number, values, interfaces)
        return self._plan_update(number, task, values, interfaces)

    def _parse(self, cells):
        present = self.table.columns
        if "origin" in present and _is_local(cells.get("origin")):
            raise CellError("origin", LOCAL_ROW)
        values = {}
        for key in TEXT_FIELDS:
            if key in present:
                values[key] = self._cell(key, text, cells.get(key))
        if not values.get("title"):
            raise CellError("title", TITLE_MISSING)
        for key in DATE_FIELDS:
            if key in present:
                values[key] = self._cell(key, parse_date, cells.get(key))
        if "kind" in present and cells.get("kind") is not None:
            values["kind"] = self._cell("kind", parse_kind, cells.get("kind"))
        if "project" in present:
            values["project"] = self._find("project", self.projects, cells, UNKNOWN_PROJECT)
        if "support_system" in present:
            values["support_system"] = self._find(
                "support_system", self.systems, cells, UNKNOWN_SUPPORT_SYSTEM
            )
        interfaces = self._interfaces(cells) if "interfaces" in present else None
        return values, interfaces

    def _cell(self, key, parse, value):
        try:
            return parse(value)
        except ValidationError as error:
            raise CellError(key, message(error)) from None

    def _find(self, key, lookup, cells, unknown):
        raw = self._cell(key, text, cells.get(key))
        if not raw:
            return None
        found = lookup.get(normalise(raw))
        if found is None:
            raise CellError(key, unknown % {"value": raw})
        return found

    def _interfaces(self, cells):
        raw = self._cell("interfaces", text, cells.get("interfaces"))
        codes = [c for c in SPLIT_CODES.split(raw) if c]
        found, unknown = set(), []
        for code in codes:
            pk = self.interfaces.get(normalise(code)) or self.interfaces.get("sf" + normalise(code))
            if pk is None:
                unknown.append(code)
            else:
                found.add(pk)
        if unknown:
            raise CellError("interfaces", UNKNOWN_INTERFACES % {"value": ", ".join(unknown)})
        return found

    def _match(self, values):
        title = normalise(values["title"])
        project = values.get("project")
        project_id = project.pk if project else None
        if reference := values.get("klik_reference"):
            found = self.by_ref.get(reference)
            if found:
                return found, ("ref", reference)
            key = ("ref", reference)
        else:
            key = ("title", project_id, title)
        if "project" in values:
            candidates = self.by_key.get((project_id, title), [])
        else:
            candidates = self.by_title.get(title, [])
        # A task that already has another KLIK reference is another task.
        return [t for t in candidates if not reference or not t.klik_reference], key

    def _check_dates(self, values, task):
        start = values.get("starts_on", task.starts_on if task else None)
        deadline = values.get("deadline", task.deadline if task else None)
        if start and deadline and deadline < start:
            shown = {"deadline": _date(deadline), "start": _date(start)}
            raise CellError("deadline", DEADLINE_BEFORE_START % shown)

    def _plan_create(self, number, values, interfaces):
        task = Task(published_on=timezone.localdate(), kind=Task.Kind.SOLUTION)
        for key, value in values.items():
            if value is not None or key not in ("published_on", "kind"):
                setattr(task, key, value)
        task.published_on = task.published_on or timezone.localdate()
        self._clean(task)
        reason = PUBLISHED_TO % {"count": self.municipalities}
        planned = result(self.table, number, CREATED, reason=reason, label=task.title)
        return Planned(planned, ("create", task, interfaces or set()))

    def _plan_update(self, number, task, values, interfaces):
        changed = copy.copy(task)
        shown = []
        for key, value in values.items():
            if key == "published_on" and value is None:
                continue
            if getattr(task, key) != value:
                setattr(changed, key, value)
                shown.append(self._change(key, getattr(task, key), value))
        now = self.links.get(task.pk, set())
        if interfaces is not None and interfaces != now:
            shown.append(f"{self.table.header('interfaces')}: {len(now)} → {len(interfaces)}")
        else:
            interfaces = None
        if not shown:
            return Planned(result(self.table, number, UNCHANGED, label=task.title))
        self._clean(changed)
        planned = result(self.table, number, UPDATED, reason="; ".join(shown), label=task.title)
        fields = [key for key in values if getattr(changed, key) != getattr(task, key)]
        return Planned(planned, ("update", changed, fields, interfaces, now))

    def _change(self, key, old, new):
        def shown(value):
            if value is None or value == "":
                return "–"
            if key in DATE_FIELDS:
                return _date(value)
            if key == "kind":
                return str(Task.Kind(value).label)
            return str(value)

        return f"{self.table.header(key)}: «{shown(old)}» → «{shown(new)}»"

    def _clean(self, task):
        # Project and support system were looked up above; the date rule was checked with a
        # message naming the columns. What remains: lengths, choices, forbidden characters.
        try:
            task.full_clean(
                exclude=["project", "support_system"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            key, messages = next(iter(error.message_dict.items()))
            raise CellError(key if key in self.table.columns else "title", messages[0]) from None

    def apply(self, actions, progress=None):
        """Publish the new tasks and update the changed ones, in bulk."""
        creates = [a for a in actions if a[0] == "create"]
        updates = [a for a in actions if a[0] == "update"]
        tasks_publish(
            tasks=[a[1] for a in creates],
            interfaces={i: a[2] for i, a in enumerate(creates) if a[2]},
        )
        if progress and creates:
            progress(f"{len(creates)} new tasks published")
        fields = sorted({f for a in updates for f in a[2]})
        if fields:
            Task.objects.bulk_update([a[1] for a in updates], fields, batch_size=500)
        self._relink([(a[1].pk, a[3], a[4]) for a in updates if a[3] is not None])

    def _relink(self, changes):
        through = Task.interfaces.through
        for task_id, wanted, now in changes:
            through.objects.filter(task_id=task_id, interface_id__in=now - wanted).delete()
        through.objects.bulk_create(
            [through(task_id=t, interface_id=i) for t, wanted, now in changes for i in wanted - now]
        )


def _lookup(queryset, *fields):
    """{normalised value of any of `fields`: object}."""
    found = {}
    for obj in queryset:
        for name in fields:
            found.setdefault(normalise(getattr(obj, name)), obj)
    return found


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _is_local(value):
    """Whether an "Oprindelse" cell marks a municipality's local task."""
    try:
        raw = normalise(text(value))
    except ValidationError:
        return False
    return raw in {normalise(str(Origin.LOCAL.label)), normalise("Lokal opgave"), "local"}
