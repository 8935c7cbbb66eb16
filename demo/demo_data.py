"""Demo data: tasks dated relative to today so every KLIK colour shows, persons with roles,
and the demo logins. Every step creates what is missing and leaves existing rows alone."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from klik.models import MunicipalityTask, State, Task
from klik.services import task_publish
from portfolio.models import Event, Interface, Municipality, Project, SupportSystem, User
from rollegalleri.models import Person, ProjectRole, Role, RoleAssignment

NAESTVED, HOERSHOLM = "370", "223"


@dataclass(frozen=True)
class DemoTask:
    project: str  # project slug; the task is looked up by project and title
    title: str
    start: int  # days from today
    deadline: int
    support_system: str = ""
    interfaces: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    reference: str = ""
    kind: str = Task.Kind.SOLUTION


@dataclass(frozen=True)
class CopyState:
    """How one municipality stands on one task; persons by e-mail."""

    state: str = State.NOT_STARTED
    responsible: str = ""
    executor: str = ""
    needs_help: bool = False
    stale_days: int = 2  # days since the last update; 20+ puts red/yellow up for escalation


ADG = "sts-adgangsstyring"
# SAPA's KLIK tasks (dok.kombit.dk), with an interface only where the source names its service.
# fmt: off
DEMO_TASKS = [
    DemoTask("sapa", "Brugerrettighedsstrategi", -60, -10, ADG, (),
             ("it-sikkerhedsansvarlig",), "K01"),
    DemoTask("sapa", "Jobfunktionsroller", -40, 5, ADG, (), ("rolleadministrator-sts",), "K02"),
    DemoTask("sapa", "Organisations- og brugerdata i STS Organisation (automatisk eller manuelt)",
             -30, 45, "sts-organisation", ("SF1500",), ("organisationsadministrator-sts",),
             "K03"),
    DemoTask("sapa", "Registrer it-system i STS Administration", -20, 60, "sts-administration",
             (), ("aftaleadministrator-sts",), "K04.2"),
    DemoTask("sapa", "Anmod om serviceaftale for Organisationsservicen", 20, 90,
             "sts-administration", ("SF1500",), ("aftaleadministrator-sts",), "K04.4"),
    DemoTask("sapa", "Godkend serviceaftale", 35, 100, "sts-administration", (),
             ("aftaleadministrator-sts",), "K04.5"),
    DemoTask("sapa", "Kommunespecifikke KLE-emner i STS Klassifikation", -15, 30,
             "sts-klassifikation", ("SF1510",), (), "K06"),
    DemoTask("sapa", "Sammenkobling af jobfunktionsroller og SAPA-brugere", -50, -3, ADG, (),
             ("rolleadministrator-sts",), "K08"),
    DemoTask("sapa", "Indtast jobfunktionsroller i STS Administration", 10, 70,
             "sts-administration", (), ("rolleadministrator-sts",), "K09"),
    DemoTask("sapa", "Tildel roller i brugerkatalog", -5, 40, ADG, (),
             ("rolleadministrator-sts",), "K10"),
    # More of SAPA's tasks (summarised titles), so the 96 municipalities without a hand-made
    # story have enough started tasks for their red counts to spread (issue 13).
    DemoTask("sapa", "Registrer organisatorisk rod-enhed", -90, -45, "sts-organisation",
             ("SF1500",), ("organisationsadministrator-sts",), "K04.1"),
    DemoTask("sapa", "Verificer organisationsdata", -80, -30, "sts-organisation", ("SF1500",),
             ("organisationsadministrator-sts",), "K04.6"),
    DemoTask("sapa", "Opret organisationsdata manuelt i STS Organisation", -75, -25,
             "sts-organisation", ("SF1500",), ("organisationsadministrator-sts",), "K05.1"),
    DemoTask("sapa", "Opret brugere manuelt i STS Organisation", -70, -20, "sts-organisation",
             ("SF1500",), ("organisationsadministrator-sts",), "K05.2"),
    DemoTask("sapa", "Tildel jobfunktionsroller i STS Organisation", -65, -15, ADG, (),
             ("rolleadministrator-sts",), "K05.3"),
    DemoTask("sapa", "Tilknyt kommunespecifikke KLE-emner", -60, -8, "sts-klassifikation",
             ("SF1510",), (), "K07"),
    DemoTask("sapa", "Opsæt visninger i SAPA Overblik", -55, -5, "", (), ("superbruger",),
             "K11"),
    DemoTask("sapa", "Tilpas standardvisninger i SAPA Overblik", -50, -2, "", (),
             ("superbruger",), "K12"),
    DemoTask("sapa", "Beslut brug af journalnotater", -45, 8, "", (), ("faglig-chef",), "K13"),
    DemoTask("sapa", "Opsæt journalnotater", -40, 15, "", (), ("superbruger",), "K14"),
    DemoTask("sapa", "Beslut brug af tværgående bemærkninger", -35, 25, "", (),
             ("faglig-chef",), "K15"),
    DemoTask("sapa", "Opret advisgrupper", -30, 50, "", (), ("superbruger",), "K17"),
    # Demo tasks for the deck's other SF1511 users, with the interfaces the deck lists for them.
    DemoTask("dubu", "Tilslut DUBU til STS Adgangsstyring", -10, 120, ADG,
             ("SF1511", "SF1514", "SF1515"), ("rolleadministrator-sts", "tekniker")),
    DemoTask("valg", "Forbered Valg til STS Adgangsstyring", 60, 200, ADG,
             ("SF1511", "SF1512", "SF1515"), ("rolleadministrator-sts",)),
    DemoTask("flis", "Få FLIS brugerne til at logge ind via central adgangsstyring", -90, 20,
             ADG, ("SF1511",), ("rolleadministrator-sts",)),
]
# fmt: on

BBR_TASKS = [
    "Klargør TAC liste og SPLUNK liste",
    "Ryd op i BBR brugerne og deres rettigheder i BBR 1.8",
    "Opret, navngiv og tildel jobfunktionsroller",
    "Få BBR brugerne til at logge ind i BBR via central adgangsstyring",
    "Luk ned for BBRs egen adgangsstyring",
]
PROGRAMME_CHECK = (
    "Tjek/valider at jeres it-miljø lever op til kravene, der stilles for at kunne idriftsætte "
    "SAPA, KSD og KY"
)
PROGRAMME_OVERVIEW = "Udarbejd/opdater overblik snitflade-, system- og kontraktoverblik"

# The gallery tailored per project: the deck says the gallery "skal tilpasses hvert projekt"
# but names no project's roles, so these choices are demo data, not the deck's facts.
# {project slug: (required roles, optional roles)}
PROJECT_ROLES = {
    "bbr": (
        [
            "projektejer",
            "projektleder",
            "kombit-programleder",
            "rolleadministrator-sts",
            "tekniker",
            "supportberettiget-bruger",
        ],
        ["superbruger", "leverandoeradministrator-sts"],
    ),
    "flis": (
        [
            "projektejer",
            "projektleder",
            "kombit-programleder",
            "rolleadministrator-sts",
            "systemejer",
        ],
        ["organisationsadministrator-sts", "superbruger"],
    ),
    "dubu": (
        [
            "projektejer",
            "projektleder",
            "kombit-programleder",
            "rolleadministrator-sts",
            "systemejer",
            "superbruger",
            "traener-instruktoer",
        ],
        ["gevinstejer", "faglig-chef"],
    ),
    "valg": (
        [
            "projektejer",
            "projektleder",
            "kombit-programleder",
            "rolleadministrator-sts",
            "tekniker",
        ],
        ["it-sikkerhedsansvarlig", "superbruger"],
    ),
    "sapa": (
        [
            "projektejer",
            "projektleder",
            "kombit-programleder",
            "sts-projektleder",
            "rolleadministrator-sts",
            "organisationsadministrator-sts",
            "aftaleadministrator-sts",
        ],
        ["gevinstejer", "superbruger", "traener-instruktoer"],
    ),
    "dar": (["projektleder", "rolleadministrator-sts"], []),
}
# The roles the deck's BBR tasks need: demo choices too (the deck lists the tasks only).
BBR_TASK_ROLES = dict(
    zip(
        BBR_TASKS,
        ["tekniker", "superbruger", "rolleadministrator-sts", "rolleadministrator-sts", "tekniker"],
        strict=True,
    )
)

PERSONS = {
    NAESTVED: [
        ("Mette Lund", "mette.lund@example.dk", "Digitaliseringskonsulent", "Digitalisering"),
        ("Jonas Holm", "jonas.holm@example.dk", "Projektleder", "Teknik og Miljø"),
        ("Sara Nielsen", "sara.nielsen@example.dk", "It-arkitekt", "It-drift"),
        ("Peter Bak", "peter.bak@example.dk", "Sagsbehandler", "Borgerservice"),
    ],
    HOERSHOLM: [
        ("Lise Berg", "lise.berg@example.dk", "Digitaliseringschef", "Digitalisering"),
        ("Henrik Dahl", "henrik.dahl@example.dk", "Systemadministrator", "It"),
        ("Camilla Friis", "camilla.friis@example.dk", "Økonomikonsulent", "Økonomi"),
    ],
}

# (municipality, e-mail, role slug, project slug or "" for across projects). Mette holds two
# roles; Rolleadministrator (STS) in Næstved is shared by Jonas and Sara. Projektejer and most
# projects' Projektleder stay unstaffed: the gallery's risks.
ASSIGNMENTS = [
    (NAESTVED, "mette.lund@example.dk", "kombit-programleder", ""),
    (NAESTVED, "mette.lund@example.dk", "projektleder", "sapa"),
    (NAESTVED, "jonas.holm@example.dk", "projektleder", "bbr"),
    (NAESTVED, "jonas.holm@example.dk", "rolleadministrator-sts", ""),
    (NAESTVED, "sara.nielsen@example.dk", "rolleadministrator-sts", ""),
    (NAESTVED, "sara.nielsen@example.dk", "tekniker", ""),
    (NAESTVED, "peter.bak@example.dk", "superbruger", "sapa"),
    (HOERSHOLM, "lise.berg@example.dk", "kombit-programleder", ""),
    (HOERSHOLM, "lise.berg@example.dk", "projektleder", "flis"),
    (HOERSHOLM, "henrik.dahl@example.dk", "rolleadministrator-sts", ""),
    (HOERSHOLM, "henrik.dahl@example.dk", "tekniker", "bbr"),
    (HOERSHOLM, "camilla.friis@example.dk", "systemejer", "flis"),
]

N_METTE, N_JONAS, N_SARA = (p[1] for p in PERSONS[NAESTVED][:3])
H_LISE, H_HENRIK, H_CAMILLA = (p[1] for p in PERSONS[HOERSHOLM])
DONE_N = CopyState(State.DONE, N_JONAS, N_SARA, stale_days=40)
DONE_H = CopyState(State.DONE, H_LISE, H_HENRIK, stale_days=45)

# (project slug or "", task title) -> {municipality code: CopyState}. With the dates above this
# gives both demo municipalities every colour; comments name the colour.
COPIES = {
    **{("bbr", t): {NAESTVED: DONE_N, HOERSHOLM: DONE_H} for t in BBR_TASKS[:4]},
    ("bbr", BBR_TASKS[4]): {
        NAESTVED: DONE_N,
        HOERSHOLM: CopyState(State.IN_PROGRESS, H_LISE, H_HENRIK, stale_days=24),  # red
    },
    ("", PROGRAMME_CHECK): {
        NAESTVED: CopyState(State.IN_PROGRESS, N_METTE, N_SARA),  # green
        HOERSHOLM: CopyState(State.NOT_STARTED, H_LISE, H_LISE),  # green
    },
    ("", PROGRAMME_OVERVIEW): {
        NAESTVED: CopyState(stale_days=30),  # yellow: nobody on it
        HOERSHOLM: CopyState(stale_days=22),  # yellow
    },
    ("sapa", "Brugerrettighedsstrategi"): {
        NAESTVED: CopyState(State.DONE, N_METTE, N_JONAS, stale_days=12),  # green (done)
        HOERSHOLM: CopyState(State.IN_PROGRESS, H_LISE, H_HENRIK, stale_days=25),  # red
    },
    ("sapa", "Jobfunktionsroller"): {
        NAESTVED: CopyState(State.NOT_STARTED, N_JONAS, N_SARA, stale_days=6),  # yellow: soon
        HOERSHOLM: CopyState(State.IN_PROGRESS, H_LISE, H_CAMILLA),  # green
    },
    ("sapa", DEMO_TASKS[2].title): {
        NAESTVED: CopyState(State.IN_PROGRESS, N_JONAS, N_SARA),  # green
        HOERSHOLM: CopyState(State.NOT_STARTED, H_LISE, "", stale_days=21),  # yellow
    },
    ("sapa", "Registrer it-system i STS Administration"): {
        NAESTVED: CopyState(State.BLOCKED, N_JONAS, N_SARA, stale_days=30),  # red
        HOERSHOLM: CopyState(State.NOT_STARTED, H_HENRIK, H_HENRIK),  # green
    },
    ("sapa", "Anmod om serviceaftale for Organisationsservicen"): {
        NAESTVED: CopyState(State.NOT_STARTED, N_JONAS, N_SARA),  # grey
    },
    ("sapa", "Kommunespecifikke KLE-emner i STS Klassifikation"): {
        NAESTVED: CopyState(State.IN_PROGRESS, N_SARA, N_SARA, needs_help=True),  # yellow
        HOERSHOLM: CopyState(State.DONE, H_CAMILLA, H_CAMILLA, stale_days=4),  # green (done)
    },
    ("sapa", "Sammenkobling af jobfunktionsroller og SAPA-brugere"): {
        NAESTVED: CopyState(State.DONE, N_JONAS, N_SARA, stale_days=8),  # green (done)
        HOERSHOLM: CopyState(stale_days=28),  # red: overdue, nobody on it
    },
    ("dubu", "Tilslut DUBU til STS Adgangsstyring"): {
        NAESTVED: CopyState(State.IN_PROGRESS, N_METTE, N_SARA),  # green (pilot)
    },
    ("flis", "Få FLIS brugerne til at logge ind via central adgangsstyring"): {
        NAESTVED: CopyState(State.DONE, N_JONAS, N_SARA, stale_days=15),
        HOERSHOLM: CopyState(State.IN_PROGRESS, H_LISE, H_HENRIK, needs_help=True),  # yellow
    },
}


# The demo municipalities have solved the SAPA tasks added for the national spread, so their
# hand-made stories (which tasks are red, yellow, stalled and why) stay as they were.
SPREAD_TASKS = [
    t.title
    for t in DEMO_TASKS
    if t.reference
    in {
        "K04.1",
        "K04.6",
        "K05.1",
        "K05.2",
        "K05.3",
        "K07",
        "K11",
        "K12",
        "K13",
        "K14",
        "K15",
        "K17",
    }
]
COPIES.update({("sapa", t): {NAESTVED: DONE_N, HOERSHOLM: DONE_H} for t in SPREAD_TASKS})

# Every other municipality gets a few clearly marked demo persons and a seeded spread of how it
# stands on each task, so the national ranking has something to rank.
SPREAD_SEED = 13
SPREAD_NAMES = [
    ("Anne", "Kjær"),
    ("Bo", "Madsen"),
    ("Dorte", "Vang"),
    ("Erik", "Lind"),
    ("Hanne", "Krog"),
    ("Karsten", "Skov"),
    ("Lone", "Bech"),
    ("Morten", "Juhl"),
    ("Pia", "Thorsen"),
    ("Rasmus", "Winther"),
    ("Signe", "Dam"),
    ("Tove", "Brandt"),
]
SPREAD_PERSONS_PER_MUNICIPALITY = 3
SPREAD_JOB_TITLE = "Demoperson"


# Coming events, so the dashboard and the event page have something ahead (the deck's are 2018).
# (kind, title, audience, support system slug, days from today, start hour, hours)
# fmt: off
DEMO_EVENTS = [
    (Event.Kind.WEBINAR, "Webinar om STS Adgangsstyring",
     "KOMBIT-programleder og rolleadministrator (STS)", ADG, 9, 14, 1),
    (Event.Kind.NETWORK_MEETING, "Programleder-netværksmøde", "KOMBIT-programledere", "", 30,
     10, 5),
]
# fmt: on


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    municipality: str = ""  # code
    group: str = ""
    superuser: bool = False
    staff: bool = False  # may open the admin; what it may do there comes from its group
    # The programme leaders' e-mail matches their demo person, so "Mine opgaver" knows them.
    email: str = ""
    full_name: str = ""


@transaction.atomic
def demo_users_ensure(*, logins) -> list[str]:
    """Create the missing demo logins; existing users (and their passwords) stay as they are."""
    made = []
    for login in logins:
        if User.objects.filter(username=login.username).exists():
            continue
        municipality = (
            Municipality.objects.get(code=login.municipality) if login.municipality else None
        )
        user = User(
            username=login.username,
            municipality=municipality,
            is_staff=login.superuser or login.staff,
            is_superuser=login.superuser,
            # Every demo login has an address, so it gets (console) mail and sees the
            # preferences form; a programme leader's is their demo person's.
            email=login.email or f"{login.username}@example.dk",
        )
        user.first_name, _, user.last_name = login.full_name.partition(" ")
        user.set_password(login.password)
        user.save()
        if login.group:
            user.groups.add(Group.objects.get(name=login.group))
        made.append(login.username)
    return made


@transaction.atomic
def demo_load(*, today: date | None = None) -> dict[str, int]:
    """Create the missing demo persons, assignments and tasks and set the demo municipalities'
    copies; returns how many of each were made."""
    today = today or timezone.localdate()
    persons = _persons_ensure()
    spread_persons, spread_made = _spread_persons_ensure()
    return {
        "project roles": project_roles_ensure(),
        "persons": len([p for p, created in persons.values() if created]) + spread_made,
        "assignments": _assignments_ensure(persons, today),
        "tasks": _tasks_ensure(today),
        "municipality tasks": _copies_apply(persons) + _spread_apply(today, spread_persons),
        "events": _events_ensure(today),
    }


def project_roles_ensure() -> int:
    """Create the demo project galleries that are missing, in one bulk insert, and give the
    deck's BBR tasks their demo roles where they have none; returns how many gallery rows were
    made."""
    roles = {r.slug: r for r in Role.objects.all()}
    projects = {p.slug: p for p in Project.objects.filter(slug__in=PROJECT_ROLES)}
    have = set(ProjectRole.objects.values_list("project_id", "role_id"))
    missing = [
        ProjectRole(project=project, role=roles[slug], required=required)
        for project_slug, (required_roles, optional_roles) in PROJECT_ROLES.items()
        if (project := projects.get(project_slug))
        for required, slugs in ((True, required_roles), (False, optional_roles))
        for slug in slugs
        if slug in roles and (project.pk, roles[slug].pk) not in have
    ]
    ProjectRole.objects.bulk_create(missing)
    without_roles = Task.objects.filter(
        project__slug="bbr", title__in=BBR_TASK_ROLES, roles__isnull=True
    )
    Through = Task.roles.through
    Through.objects.bulk_create(
        [
            Through(task_id=task.pk, role_id=roles[BBR_TASK_ROLES[task.title]].pk)
            for task in without_roles
            if BBR_TASK_ROLES[task.title] in roles
        ]
    )
    return len(missing)


def _spread_persons_ensure():
    """({municipality id: [Person]}, how many were made): the demo persons of every
    municipality without a hand-made story, created in one bulk insert where missing."""
    others = Municipality.objects.exclude(code__in=PERSONS).order_by("code")
    wanted = []
    for municipality in others:
        rng = random.Random(f"{SPREAD_SEED}:persons:{municipality.code}")
        for first, last in rng.sample(SPREAD_NAMES, SPREAD_PERSONS_PER_MUNICIPALITY):
            email = f"{first}.{last}.{municipality.code}@example.dk".lower()
            email = email.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            wanted.append(
                Person(
                    municipality=municipality,
                    name=f"{first} {last} (demo)",
                    email=email,
                    job_title=SPREAD_JOB_TITLE,
                    department="Demo",
                )
            )
    demo = Person.objects.filter(job_title=SPREAD_JOB_TITLE, municipality__in=others)
    have = set(demo.values_list("municipality_id", "email"))
    missing = [p for p in wanted if (p.municipality_id, p.email) not in have]
    Person.objects.bulk_create(missing, batch_size=500)
    by_municipality = {}
    for person in demo.order_by("municipality_id", "email"):
        by_municipality.setdefault(person.municipality_id, []).append(person)
    return by_municipality, len(missing)


def _spread_apply(today, persons) -> int:
    """Give every untouched copy of the municipalities without a hand-made story a seeded
    state, responsible, executor, needs-help and last change. Each municipality draws its own
    diligence, so some solve nearly everything and some let most tasks slip: their red counts
    spread. Seeded by municipality code and task title, so a fresh database gets the same
    spread; copies already set (version > 0) are left alone, so a second run changes nothing.
    Written with bulk upserts."""
    now = timezone.now()
    copies = (
        MunicipalityTask.objects.filter(
            municipality_id__in=list(persons),
            version=0,
            state=State.NOT_STARTED,
            responsible__isnull=True,
        )
        .select_related("task", "municipality")
        .order_by("municipality__code", "task__title", "task_id")
    )
    changed = []
    for copy in copies:
        code, task = copy.municipality.code, copy.task
        diligence = random.Random(f"{SPREAD_SEED}:diligence:{code}").uniform(0.0, 1.0)
        rng = random.Random(f"{SPREAD_SEED}:{code}:{task.project_id}:{task.title}")
        people = persons[copy.municipality_id]
        started = task.effective_start <= today
        roll = rng.random()
        copy.needs_help = False
        if not started:
            copy.state = State.NOT_STARTED
            staffed = roll < diligence
        elif roll < diligence * 0.75:
            copy.state, staffed = State.DONE, True
        elif roll < diligence:
            copy.state, staffed = State.IN_PROGRESS, True
            copy.needs_help = rng.random() < 0.2
        else:
            copy.state = rng.choice(
                [State.NOT_STARTED, State.IN_PROGRESS, State.BLOCKED, State.BLOCKED]
            )
            staffed = rng.random() < 0.5
        copy.responsible = rng.choice(people) if staffed or rng.random() < 0.3 else None
        copy.executor = rng.choice(people) if staffed else None
        copy.updated_at = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        copy.version = 1
        changed.append(copy)
    # An upsert on the primary key: one INSERT … ON CONFLICT DO UPDATE per batch. Django's
    # bulk_update builds a CASE per field and row, which took 12 s for these ~3,000 rows.
    MunicipalityTask.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["state", "responsible", "executor", "needs_help", "updated_at", "version"],
        batch_size=500,
    )
    return len(changed)


def _events_ensure(today) -> int:
    made = 0
    for kind, title, audience, system, days, hour, hours in DEMO_EVENTS:
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        _, created = Event.objects.get_or_create(
            kind=kind,
            title=title,
            defaults={
                "audience": audience,
                "place": "Online" if kind == Event.Kind.WEBINAR else "",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours),
                "support_system": SupportSystem.objects.filter(slug=system).first(),
            },
        )
        made += created
    return made


def _persons_ensure():
    persons = {}
    for code, rows in PERSONS.items():
        municipality = Municipality.objects.get(code=code)
        for name, email, job_title, department in rows:
            persons[(code, email)] = Person.objects.get_or_create(
                municipality=municipality,
                email=email,
                defaults={"name": name, "job_title": job_title, "department": department},
            )
    return persons


def _assignments_ensure(persons, today) -> int:
    roles = {r.slug: r for r in Role.objects.all()}
    projects = {p.slug: p for p in Project.objects.all()}
    made = 0
    for code, email, role, project in ASSIGNMENTS:
        _, created = RoleAssignment.objects.get_or_create(
            person=persons[(code, email)][0],
            role=roles[role],
            project=projects[project] if project else None,
            ended_on=None,
            defaults={"started_on": today - timedelta(days=200)},
        )
        made += created
    return made


def _tasks_ensure(today) -> int:
    made = 0
    for spec in DEMO_TASKS:
        project = Project.objects.get(slug=spec.project)
        if Task.objects.filter(project=project, title=spec.title).exists():
            continue
        task = Task(
            title=spec.title,
            project=project,
            support_system=SupportSystem.objects.filter(slug=spec.support_system).first(),
            kind=spec.kind,
            published_on=today + timedelta(days=min(spec.start, 0) - 7),
            starts_on=today + timedelta(days=spec.start),
            deadline=today + timedelta(days=spec.deadline),
            klik_reference=spec.reference,
        )
        task_publish(
            task=task,
            interfaces=Interface.objects.filter(code__in=spec.interfaces),
            roles=Role.objects.filter(slug__in=spec.roles),
        )
        made += 1
    return made


def _copies_apply(persons) -> int:
    """Set the demo municipalities' copies, but only copies nobody has touched yet."""
    now = timezone.now()
    made = 0
    for (project, title), states in COPIES.items():
        for code, spec in states.items():
            copy = MunicipalityTask.objects.filter(
                task__project__slug=project or None,
                task__title=title,
                municipality__code=code,
            ).first()
            if copy is None or not _untouched(copy):
                continue
            copy.state = spec.state
            copy.responsible = persons[(code, spec.responsible)][0] if spec.responsible else None
            copy.executor = persons[(code, spec.executor)][0] if spec.executor else None
            copy.needs_help = spec.needs_help
            copy.updated_at = now - timedelta(days=spec.stale_days)
            copy.updated_by = User.objects.filter(municipality=copy.municipality_id).first()
            copy.version = 1
            copy.full_clean()
            copy.save()
            made += 1
    return made


def _untouched(copy) -> bool:
    return copy.version == 0 and copy.state == State.NOT_STARTED and copy.responsible_id is None
