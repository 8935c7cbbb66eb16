"""Benchmark data at national scale: every municipality, tens of projects, tens of thousands
of municipality tasks. Deterministic from a seed; rows are written with bulk_create."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from klik.models import MunicipalityTask, MunicipalityTaskChange, State, Task
from portfolio.models import Interface, InterfaceUsage, Municipality, Project, SupportSystem
from rollegalleri.models import Person, ProjectRole, Role, RoleAssignment

SLUG_PREFIX = "bench-"
EMAIL_DOMAIN = "@bench.example.dk"
FIRST_NAMES = ["Anne", "Bo", "Camilla", "Dorte", "Erik", "Freja", "Gustav", "Hanne", "Ib", "Jens"]
LAST_NAMES = ["Andersen", "Bech", "Christensen", "Dam", "Eriksen", "Friis", "Gram", "Holm"]
STATES = [State.NOT_STARTED, State.IN_PROGRESS, State.DONE, State.BLOCKED]
STATE_WEIGHTS = [40, 30, 25, 5]


# The municipality whose own rows stay the same at every --scale, so the benchmark can show that
# a municipality's pages do not slow down as the other municipalities' data grows (Næstved).
STEADY_MUNICIPALITY = "370"


@dataclass(frozen=True)
class BenchSize:
    projects: int = 30
    tasks_per_project: int = 80
    persons_per_municipality: int = 5
    # When set, STEADY_MUNICIPALITY copies only the first this many tasks of each project.
    steady_tasks_per_project: int | None = None

    @classmethod
    def scaled(cls, scale: float, **kwargs) -> "BenchSize":
        """The default size with `scale` times the tasks per project for every municipality
        but STEADY_MUNICIPALITY, which keeps at most the default's (¼× gives it fewer)."""
        default = cls(**kwargs)
        return cls(
            **{**kwargs, "tasks_per_project": max(1, round(default.tasks_per_project * scale))},
            steady_tasks_per_project=default.tasks_per_project,
        )


def bench_clear() -> None:
    """Remove earlier benchmark rows, so a run with the same seed gives the same data."""
    mine = {"task__project__slug__startswith": SLUG_PREFIX}
    MunicipalityTaskChange.objects.filter(
        municipality_task__task__project__slug__startswith=SLUG_PREFIX
    ).delete()
    MunicipalityTask.objects.filter(**mine)._raw_delete(MunicipalityTask.objects.db)
    Task.objects.filter(project__slug__startswith=SLUG_PREFIX).delete()
    Project.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Person.objects.filter(email__endswith=EMAIL_DOMAIN).delete()


@transaction.atomic
def bench_load(*, seed: int, size: BenchSize, today: date | None = None) -> dict[str, int]:
    """Replace the benchmark data with a fresh set drawn from `seed`; returns row counts."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    bench_clear()
    municipalities = list(Municipality.objects.order_by("code"))
    persons = _persons_create(rng, municipalities, size.persons_per_municipality)
    projects = _projects_create(rng, size.projects, today)
    roles = list(Role.objects.order_by("slug"))
    counts = {
        "persons": sum(len(p) for p in persons.values()),
        "projects": len(projects),
        "project roles": _project_roles_create(rng, projects, roles),
        "role assignments": _assignments_create(rng, persons, projects, roles, today),
        "interface usages": _usages_create(rng, projects),
    }
    tasks = _tasks_create(rng, projects, size.tasks_per_project, today)
    counts["tasks"] = len(tasks)
    counts["municipality tasks"] = _copies_create(
        rng, tasks, municipalities, persons, _steady_skips(tasks, municipalities, size)
    )
    return counts


def _persons_create(rng, municipalities, per_municipality):
    rows = [
        Person(
            municipality=m,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            email=f"person{i}.{m.code}{EMAIL_DOMAIN}",
            job_title="Medarbejder",
            department="Benchmark",
        )
        for m in municipalities
        for i in range(per_municipality)
    ]
    Person.objects.bulk_create(rows)
    persons = {m.pk: [] for m in municipalities}
    for person in Person.objects.filter(email__endswith=EMAIL_DOMAIN).order_by("email"):
        persons[person.municipality_id].append(person.pk)
    return persons


def _projects_create(rng, count, today):
    rows = []
    for n in range(1, count + 1):
        rollout = rng.choice(Project.Rollout.values)
        rows.append(
            Project(
                short_name=f"B{n:02d}",
                name=f"Benchmark-projekt {n}",
                slug=f"{SLUG_PREFIX}{n:02d}",
                phase=rng.choice(Project.Phase.values),
                rollout=rollout,
                rollout_waves=rng.randint(2, 4) if rollout == Project.Rollout.WAVES else None,
                go_live_on=today + timedelta(days=rng.randint(-300, 500)),
            )
        )
    Project.objects.bulk_create(rows)
    return list(Project.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))


def _project_roles_create(rng, projects, roles):
    rows = [
        ProjectRole(project=p, role=role, required=i < 4)
        for p in projects
        for i, role in enumerate(rng.sample(roles, min(6, len(roles))))
    ]
    ProjectRole.objects.bulk_create(rows)
    return len(rows)


def _assignments_create(rng, persons, projects, roles, today):
    rows = []
    for person_pks in persons.values():
        for pk in person_pks:
            for role in rng.sample(roles, 2):
                project = rng.choice(projects) if rng.random() < 0.5 else None
                rows.append(
                    RoleAssignment(
                        person_id=pk,
                        role=role,
                        project=project,
                        started_on=today - timedelta(days=rng.randint(0, 700)),
                    )
                )
    RoleAssignment.objects.bulk_create(rows)
    return len(rows)


def _usages_create(rng, projects):
    interfaces = list(Interface.objects.order_by("code"))
    if not interfaces:
        return 0
    rows = []
    for p in projects:
        for interface in rng.sample(interfaces, min(rng.randint(1, 3), len(interfaces))):
            state = rng.choice(InterfaceUsage.State.values)
            year = rng.randint(2019, 2027) if state == InterfaceUsage.State.PLANNED else None
            rows.append(
                InterfaceUsage(project=p, interface=interface, state=state, planned_year=year)
            )
    InterfaceUsage.objects.bulk_create(rows)
    return len(rows)


def _tasks_create(rng, projects, per_project, today):
    systems = list(SupportSystem.objects.prefetch_related("interfaces").order_by("slug"))
    rows, interfaces = [], []
    for p in projects:
        for i in range(1, per_project + 1):
            system = rng.choice(systems) if systems and rng.random() < 0.7 else None
            start = today + timedelta(days=rng.randint(-240, 180))
            rows.append(
                Task(
                    title=f"{p.short_name} opgave {i}",
                    project=p,
                    support_system=system,
                    kind=rng.choice([Task.Kind.BASIS, Task.Kind.SOLUTION]),
                    published_on=start - timedelta(days=14),
                    starts_on=start,
                    deadline=start + timedelta(days=rng.randint(10, 150)),
                    klik_reference=f"{p.short_name}-{i:03d}",
                )
            )
            own = list(system.interfaces.all()) if system else []
            interfaces.append(own[: rng.randint(0, len(own))])
    Task.objects.bulk_create(rows, batch_size=1000)
    through = Task.interfaces.through
    through.objects.bulk_create(
        [
            through(task_id=task.pk, interface_id=interface.pk)
            for task, chosen in zip(rows, interfaces, strict=True)
            for interface in chosen
        ],
        batch_size=1000,
    )
    return rows


def _steady_skips(tasks, municipalities, size):
    """(task pk, municipality pk) pairs STEADY_MUNICIPALITY does not copy at this size."""
    keep = size.steady_tasks_per_project
    steady = [m.pk for m in municipalities if m.code == STEADY_MUNICIPALITY]
    if keep is None or not steady:
        return set()
    return {
        (task.pk, steady[0])
        for index, task in enumerate(tasks)
        if index % size.tasks_per_project >= keep
    }


def _copies_create(rng, tasks, municipalities, persons, skips=frozenset()):
    now = timezone.now()
    made = 0
    batch = []
    for task in tasks:
        for m in municipalities:
            if (task.pk, m.pk) in skips:
                continue
            staff = persons[m.pk]
            batch.append(
                MunicipalityTask(
                    task_id=task.pk,
                    municipality_id=m.pk,
                    state=rng.choices(STATES, STATE_WEIGHTS)[0],
                    responsible_id=rng.choice(staff) if staff and rng.random() < 0.8 else None,
                    executor_id=rng.choice(staff) if staff and rng.random() < 0.7 else None,
                    needs_help=rng.random() < 0.05,
                    updated_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 60)),
                )
            )
        if len(batch) >= 5000:
            MunicipalityTask.objects.bulk_create(batch, batch_size=1000)
            made += len(batch)
            batch = []
    MunicipalityTask.objects.bulk_create(batch, batch_size=1000)
    return made + len(batch)
