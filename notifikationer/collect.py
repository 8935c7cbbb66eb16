"""What is due: the reads the scheduler turns into mails. Nothing here writes.

Each function yields (Recipient, Item) pairs. A recipient is an address within one
municipality, so nobody ever hears about a municipality other than their own.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from klik.models import Colour, MunicipalityTask, MunicipalityTaskChange, State, Task
from portfolio.models import User
from rollegalleri.models import RoleAssignment

from .models import Kind, Topic

TOPIC_OF_KIND = {
    Kind.ASSIGNED: Topic.TASKS,
    Kind.DEADLINE_NEAR: Topic.TASKS,
    Kind.TURNED_RED: Topic.TASKS,
    Kind.PUBLISHED: Topic.PUBLISHED,
    Kind.DIGEST: Topic.DIGEST,
    Kind.NATIONAL_DIGEST: Topic.NATIONAL_DIGEST,
}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    municipality_id: int | None


@dataclass
class Item:
    kind: str
    object_key: str
    period: str
    task: MunicipalityTask | None = None
    detail: str = ""  # e.g. which field the person was put on

    @property
    def topic(self):
        return TOPIC_OF_KIND[self.kind]


@dataclass
class Bundle:
    """Everything one recipient is told in one run, which becomes one mail."""

    recipient: Recipient
    items: list = field(default_factory=list)


def recipient_of_person(person):
    return Recipient(person.email.lower(), person.name, person.municipality_id)


def recipient_of_user(user):
    name = user.get_full_name() or user.username
    return Recipient(user.email.lower(), name, user.municipality_id)


def task_key(mt):
    return f"mt:{mt.pk}"


# --- Assigned ---------------------------------------------------------------


def assigned(since: datetime):
    """Persons made responsible or executor since `since` who still are, read from the
    task history that every write (page, bulk edit, import) records."""
    changes = (
        MunicipalityTaskChange.objects.filter(
            field__in=["responsible", "executor"], changed_at__gte=since
        )
        .exclude(new_value="")
        .select_related(
            "municipality_task__task__project",
            "municipality_task__responsible",
            "municipality_task__executor",
        )
        .order_by("changed_at", "pk")
    )
    for change in changes:
        mt = change.municipality_task
        person = getattr(mt, change.field)
        # The history holds names; the task's current person must be the one named.
        if person is None or str(person) != change.new_value or not _mailable(person):
            continue
        yield (
            recipient_of_person(person),
            Item(Kind.ASSIGNED, task_key(mt), f"change:{change.pk}", mt, change.field),
        )


def _mailable(person):
    return bool(person.email) and person.retired_on is None


# --- Published --------------------------------------------------------------


def programme_leaders():
    """{municipality id: [Recipient]}: the programme leaders' logins with an address, and the
    primary holder(s) of the programme leader role in the role gallery."""
    leaders = defaultdict(dict)
    users = (
        User.objects.filter(
            is_active=True,
            municipality__isnull=False,
            groups__name=settings.PROGRAMME_LEADER_GROUP,
        )
        .exclude(email="")
        .order_by("pk")
    )
    for user in users:
        leaders[user.municipality_id].setdefault(user.email.lower(), recipient_of_user(user))
    holders = RoleAssignment.objects.addressees().filter(
        role__slug=settings.PROGRAMME_LEADER_ROLE_SLUG, project__isnull=True
    )
    for person in role_addressees(holders).values():
        for p in person:
            leaders[p.municipality_id].setdefault(p.email.lower(), recipient_of_person(p))
    return {pk: list(by_email.values()) for pk, by_email in leaders.items()}


def role_addressees(assignments):
    """{(municipality id, role id, project id): [Person]} from `addressees()` rows: the primary
    holders where one is marked, otherwise every holder."""
    grouped = defaultdict(list)
    for a in assignments:
        grouped[(a.person.municipality_id, a.role_id, a.project_id)].append(a)
    return {
        key: [a.person for a in rows if a.primary] or [a.person for a in rows]
        for key, rows in grouped.items()
    }


def published(today: date, lookback_days: int):
    """Each municipality's programme leaders, with the tasks published in the last days."""
    leaders = programme_leaders()
    tasks = (
        MunicipalityTask.objects.filter(
            municipality_id__in=list(leaders),
            task__published_on__gt=today - timedelta(days=lookback_days),
            task__published_on__lte=today,
        )
        .select_related("task__project")
        .order_by("task__project__short_name", "task__deadline", "pk")
    )
    for mt in tasks:
        for recipient in leaders[mt.municipality_id]:
            yield recipient, Item(Kind.PUBLISHED, task_key(mt), "published", mt)


# --- Deadlines ----------------------------------------------------------------


def deadline_near(today: date, reminder_days: int):
    """The people on unsolved tasks due within `reminder_days`: one reminder per deadline."""
    tasks = (
        MunicipalityTask.objects.exclude(state=State.DONE)
        .filter(task__deadline__gt=today, task__deadline__lte=today + timedelta(reminder_days))
        .select_related("task__project", "responsible", "executor")
        .order_by("task__deadline", "pk")
    )
    for mt, person in _people_on(list(tasks)):
        yield (
            recipient_of_person(person),
            Item(Kind.DEADLINE_NEAR, task_key(mt), mt.task.deadline.isoformat(), mt),
        )


def turned_red(today: date, since: datetime, lookback_days: int):
    """The people on tasks that turned red lately: overdue since a recent deadline, or
    marked as not possible in time since `since`."""
    recent = today - timedelta(days=lookback_days)
    tasks = (
        MunicipalityTask.objects.with_colour(today)
        .filter(colour=Colour.RED)
        .filter(
            Q(task__deadline__gte=recent, task__deadline__lt=today)
            | Q(state=State.BLOCKED, updated_at__gte=since)
        )
        .select_related("task__project", "responsible", "executor")
        .order_by("task__deadline", "pk")
    )
    for mt, person in _people_on(list(tasks)):
        period = "blocked" if mt.state == State.BLOCKED else mt.task.deadline.isoformat()
        yield recipient_of_person(person), Item(Kind.TURNED_RED, task_key(mt), period, mt)


def _people_on(tasks):
    """(task, person) for the responsible and executor of each task; for a task with nobody
    on it, the addressees of the roles it needs in its municipality (role-based mail)."""
    unstaffed = [mt for mt in tasks if mt.responsible is None and mt.executor is None]
    by_role = _role_addressees_for(unstaffed)
    for mt in tasks:
        people = {p.pk: p for p in (mt.responsible, mt.executor) if p and _mailable(p)}
        if not people and hasattr(mt.task, "needed_role_ids"):
            for role_id in mt.task.needed_role_ids:
                for key in ((role_id, mt.task.project_id), (role_id, None)):
                    for p in by_role.get((mt.municipality_id, *key), []):
                        people.setdefault(p.pk, p)
        for person in people.values():
            yield mt, person


def _role_addressees_for(tasks):
    """Role addressees for the roles `tasks` need, in their municipalities (2 queries)."""
    if not tasks:
        return {}
    roles = defaultdict(list)
    for link in Task.roles.through.objects.filter(task_id__in={mt.task_id for mt in tasks}):
        roles[link.task_id].append(link.role_id)
    for mt in tasks:
        mt.task.needed_role_ids = roles.get(mt.task_id, [])
    assignments = RoleAssignment.objects.addressees().filter(
        role_id__in={r for ids in roles.values() for r in ids},
        person__municipality_id__in={mt.municipality_id for mt in tasks},
    )
    return role_addressees(assignments)


def bundles(pairs):
    """Groups (Recipient, Item) pairs into one Bundle per recipient, items in arrival order,
    each (kind, object, period) once."""
    grouped, seen = {}, set()
    for recipient, item in pairs:
        key = (recipient, item.kind, item.object_key, item.period)
        if key not in seen:
            seen.add(key)
            grouped.setdefault(recipient, Bundle(recipient)).items.append(item)
    return list(grouped.values())
