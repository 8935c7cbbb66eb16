"""The shipped data: the deck's facts, the demo data and the benchmark data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from klik.models import MunicipalityTask, State, Task
from portfolio.models import Event, Interface, InterfaceUsage, Municipality, Project, User
from rollegalleri.models import Person, ProjectRole, Role, RoleAssignment

pytestmark = pytest.mark.django_db

BBR_TASKS = [
    "Klargør TAC liste og SPLUNK liste",
    "Ryd op i BBR brugerne og deres rettigheder i BBR 1.8",
    "Opret, navngiv og tildel jobfunktionsroller",
    "Få BBR brugerne til at logge ind i BBR via central adgangsstyring",
    "Luk ned for BBRs egen adgangsstyring",
]


def login_request():
    """The request a login comes with: django-axes throttles by its client address."""
    return RequestFactory().post("/accounts/login/")


def load_facts():
    out = StringIO()
    call_command("load_facts", stdout=out)
    return out.getvalue()


def test_load_facts_on_an_empty_database_loads_all_98_municipalities():
    load_facts()

    assert Municipality.objects.count() == 98
    assert Municipality.objects.get(code="370").name == "Næstved"
    assert Municipality.objects.get(code="223").name == "Hørsholm"


def test_sf1511_lists_the_projects_of_the_deck_with_their_state():
    load_facts()

    usages = {
        u.project.short_name: u.when_label
        for u in InterfaceUsage.objects.filter(interface__code="SF1511").select_related("project")
    }

    assert usages == {
        "DAR": "gennemført",
        "BBR": "i gang",
        "FLIS": "i gang",
        "KSD": "2019",
        "KY": "2019",
        "SAPA": "2019",
        "Valg": "2019",
        "DUBU": "2019",
        "AULA": "2019",
        "SPK": "ny",
    }


def test_the_other_adgangsstyring_interfaces_have_the_decks_users():
    load_facts()

    def users(code):
        return set(
            InterfaceUsage.objects.filter(interface__code=code).values_list(
                "project__short_name", "planned_year"
            )
        )

    assert users("SF1514") == {("DUBU", 2019)}
    assert users("SF1515") == {("Valg", 2019), ("DUBU", 2019)}
    assert users("SF1512") == {("Valg", 2019)}
    adgangsstyring = Interface.objects.filter(support_system__slug="sts-adgangsstyring")
    assert set(adgangsstyring.values_list("code", flat=True)) == {
        "SF1511",
        "SF1512",
        "SF1514",
        "SF1515",
    }


def test_projects_carry_the_decks_pilot_and_rollout_facts():
    load_facts()

    valg = Project.objects.get(slug="valg")
    assert valg.rollout == Project.Rollout.WAVES
    assert valg.rollout_waves == 3
    assert set(valg.pilot_municipalities.values_list("code", flat=True)) == {
        "101",
        "766",
        "820",
        "580",
        "329",
    }
    dubu = Project.objects.get(slug="dubu")
    assert set(dubu.pilot_municipalities.values_list("name", flat=True)) == {
        "Vordingborg",
        "Næstved",
        "Skanderborg",
    }
    bbr = Project.objects.get(slug="bbr")
    assert bbr.rollout == Project.Rollout.MUNICIPALITY_DECIDES
    assert str(bbr.go_live_on) == "2018-11-01"
    assert Project.objects.get(slug="dar").rollout == Project.Rollout.BIG_BANG


def test_every_bbr_task_has_one_copy_in_each_of_the_98_municipalities():
    load_facts()

    tasks = Task.objects.filter(project__slug="bbr")
    assert sorted(tasks.values_list("title", flat=True)) == sorted(BBR_TASKS)
    for task in tasks:
        assert task.municipality_tasks.count() == 98
        assert str(task.published_on) == "2018-04-30"
        assert str(task.deadline) == "2018-11-01"
        assert task.support_system.slug == "sts-adgangsstyring"
        assert list(task.interfaces.values_list("code", flat=True)) == ["SF1511"]


def test_the_two_programme_tasks_belong_to_no_project():
    load_facts()

    programme = Task.objects.filter(kind=Task.Kind.PROGRAMME)
    assert programme.count() == 2
    assert not programme.filter(project__isnull=False).exists()
    assert MunicipalityTask.objects.filter(task__in=programme).count() == 2 * 98


def test_the_gallery_has_its_roles_in_three_categories_in_deck_order():
    load_facts()

    def names(category):
        return list(Role.objects.filter(category=category).values_list("name", flat=True))

    assert Role.objects.count() == 22
    assert names(Role.Category.ORGANISATIONAL)[:2] == ["Gevinstejer", "Faglig chef"]
    assert names(Role.Category.PROJECT) == [
        "Projektejer",
        "Projektleder",
        "KOMBIT-programleder",
        "STS-projektleder",
    ]
    technical = names(Role.Category.TECHNICAL)
    assert len(technical) == 12
    assert technical.count("Organisationsadministrator (STS)") == 1
    assert Role.objects.get(name="FK-ansvarlig (SP)").platform == Role.Platform.SP
    assert Role.objects.get(name="Rolleadministrator (STS)").platform == Role.Platform.STS


def test_the_two_worked_examples_have_their_text_in_full():
    load_facts()

    support = Role.objects.get(slug="supportberettiget-bruger")
    assert support.headline == "Fejl bliver identificeret, rapporteret og rettet"
    assert support.responsibility.startswith("Rollen har ansvaret for at fejl bliver opdaget")
    assert support.tasks.endswith("kvalitetssikrer gennemførte fejlrettelser (lukker fejl).")
    assert support.competencies.endswith("Kan teste og kvalitetssikre fejlrettelser.")
    leader = Role.objects.get(slug="projektleder")
    assert leader.headline == "Styring, fremdrift, overblik, leverancer og resultater"
    assert "tovholder på KLIK" in leader.tasks
    assert leader.competencies.startswith("Planlægning, tidsstyring, ledelse")


def test_the_facts_hold_only_the_sourced_interface_codes():
    load_facts()

    assert set(Interface.objects.values_list("code", flat=True)) == {
        "SF1511",
        "SF1512",
        "SF1514",
        "SF1515",
        "SF1500",
        "SF1510",
        "SF1470",
        "SF1490",
        "SF1461",
        "SF2900",
        "SF1520",
        "SF1530",
        "SF1600",
    }


def test_the_2018_webinars_are_at_copenhagen_times():
    load_facts()

    webinars = Event.objects.filter(kind=Event.Kind.WEBINAR)
    starts = [timezone.localtime(e.starts_at).strftime("%d/%m %H") for e in webinars]
    assert starts == ["07/06 10", "13/06 14", "20/06 10", "25/06 14"]
    assert Event.objects.count() == 6


def test_load_facts_twice_duplicates_nothing_and_keeps_admin_edits():
    load_facts()
    Project.objects.filter(slug="bbr").update(klik_note="Rettet i admin")
    counts = {m: m.objects.count() for m in (Project, Task, MunicipalityTask, Role, Event)}

    output = load_facts()

    assert "not loaded" in output
    assert {m: m.objects.count() for m in counts} == counts
    assert Project.objects.get(slug="bbr").klik_note == "Rettet i admin"


def all_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    counts = all_counts()
    copies = list(
        MunicipalityTask.objects.order_by("pk").values_list(
            "pk", "state", "responsible", "executor", "needs_help", "updated_at", "version"
        )
    )

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert all_counts() == counts
    assert (
        list(
            MunicipalityTask.objects.order_by("pk").values_list(
                "pk", "state", "responsible", "executor", "needs_help", "updated_at", "version"
            )
        )
        == copies
    )
    assert "0 tasks" in out.getvalue()


@pytest.mark.parametrize("code", ["370", "223"])
def test_load_demo_gives_both_demo_municipalities_every_colour(code):
    call_command("load_demo", stdout=StringIO())

    counts = (
        MunicipalityTask.objects.filter(municipality__code=code)
        .with_colour(timezone.localdate())
        .colour_counts()
    )

    assert all(counts[colour] > 0 for colour in ("grey", "green", "yellow", "red")), counts
    mine = MunicipalityTask.objects.filter(municipality__code=code)
    assert mine.filter(state=State.DONE).exists()


def test_load_demo_adds_coming_events():
    call_command("load_demo", stdout=StringIO())

    assert Event.objects.filter(starts_at__gt=timezone.now()).count() >= 2


def test_load_demo_leaves_stale_red_and_yellow_tasks_to_escalate():
    call_command("load_demo", stdout=StringIO())
    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=20)

    for code in ("370", "223"):
        stale = (
            MunicipalityTask.objects.filter(municipality__code=code, updated_at__lt=long_ago)
            .with_colour(today)
            .filter(colour__in=["red", "yellow"])
        )
        assert stale.exists()


def test_load_demo_staffs_some_roles_and_leaves_required_roles_unstaffed():
    call_command("load_demo", stdout=StringIO())
    naestved = Municipality.objects.get(code="370")

    mette = Person.objects.get(email="mette.lund@example.dk")
    assert mette.assignments.count() == 2
    shared = RoleAssignment.objects.filter(
        role__slug="rolleadministrator-sts", person__municipality=naestved
    )
    assert shared.count() == 2
    unstaffed = ProjectRole.objects.unstaffed_for(naestved)
    assert unstaffed.filter(role__slug="projektejer").exists()
    assert not unstaffed.filter(project__slug="bbr", role__slug="projektleder").exists()
    assert not Person.objects.exclude(email__endswith="@example.dk").exists()


def test_demo_logins_authenticate_with_their_municipality_and_group():
    call_command("load_demo", stdout=StringIO())
    expected = {
        "naestved": ("370", settings.PROGRAMME_LEADER_GROUP),
        "hoersholm": ("223", settings.PROGRAMME_LEADER_GROUP),
        "kombit": (None, settings.KOMBIT_STAFF_GROUP),
    }

    for username, (municipality, group) in expected.items():
        user = authenticate(login_request(), username=username, password=username)
        assert user is not None, username
        assert (user.municipality.code if user.municipality else None) == municipality
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert not user.is_superuser
    admin = authenticate(login_request(), username="admin", password="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.municipality is None


def test_the_demo_kombit_login_may_read_the_admin_but_not_change_the_catalogue(client):
    call_command("load_demo", stdout=StringIO())
    client.login(request=login_request(), username="kombit", password="kombit")

    assert client.get("/admin/portfolio/project/").status_code == 200
    assert client.get("/admin/portfolio/project/add/").status_code == 403


def test_a_changed_demo_password_survives_a_second_load_demo():
    call_command("load_demo", stdout=StringIO())
    user = User.objects.get(username="naestved")
    user.set_password("nyt-kodeord-123")
    user.save()

    call_command("load_demo", stdout=StringIO())

    user = authenticate(login_request(), username="naestved", password="nyt-kodeord-123")
    assert user is not None


def bench_snapshot():
    copies = MunicipalityTask.objects.filter(task__project__slug__startswith="bench-")
    return {
        "counts": all_counts(),
        "copies": list(
            copies.order_by("task__klik_reference", "municipality__code").values_list(
                "task__klik_reference", "municipality__code", "state", "needs_help"
            )
        ),
    }


def load_bench(seed):
    call_command(
        "load_bench",
        seed=seed,
        projects=2,
        tasks_per_project=3,
        persons_per_municipality=2,
        stdout=StringIO(),
    )


def test_load_bench_with_the_same_seed_gives_the_same_data():
    load_bench(seed=7)
    first = bench_snapshot()

    load_bench(seed=7)

    assert bench_snapshot() == first
    assert first["counts"]["portfolio.Municipality"] == 98
    assert len(first["copies"]) == 2 * 3 * 98
    assert Task.objects.filter(project__slug__startswith="bench-").count() == 6


def test_load_bench_with_another_seed_gives_other_states_but_as_many_rows():
    load_bench(seed=7)
    first = bench_snapshot()

    load_bench(seed=8)
    second = bench_snapshot()

    sized = ["portfolio.Project", "klik.Task", "klik.MunicipalityTask", "rollegalleri.Person"]
    assert [second["counts"][m] for m in sized] == [first["counts"][m] for m in sized]
    assert second["copies"] != first["copies"]


def test_load_bench_gives_every_task_one_copy_per_municipality():
    load_bench(seed=1)

    for task in Task.objects.filter(project__slug__startswith="bench-"):
        assert task.municipality_tasks.count() == 98


def test_load_bench_scale_grows_every_municipality_but_the_steady_one():
    call_command(
        "load_bench",
        scale=2,
        projects=2,
        tasks_per_project=3,
        persons_per_municipality=1,
        stdout=StringIO(),
    )

    copies = MunicipalityTask.objects.filter(task__project__slug__startswith="bench-")
    assert Task.objects.filter(project__slug__startswith="bench-").count() == 2 * 6
    assert copies.filter(municipality__code="370").count() == 2 * 3
    assert copies.filter(municipality__code="223").count() == 2 * 6
    assert copies.count() == 97 * 12 + 6


def test_load_bench_at_a_small_scale_loads_every_municipality():
    call_command("load_bench", scale=0.02, persons_per_municipality=1, stdout=StringIO())

    copies = MunicipalityTask.objects.filter(task__project__slug__startswith="bench-")
    assert Task.objects.filter(project__slug__startswith="bench-").count() == 30 * 2
    assert copies.count() == 98 * 60


def red_counts():
    today = timezone.localdate()
    red = MunicipalityTask.objects.with_colour(today).filter(colour="red")
    counts = dict(
        red.values("municipality__code")
        .annotate(n=Count("pk"))
        .values_list("municipality__code", "n")
    )
    return {
        code: counts.get(code, 0) for code in Municipality.objects.values_list("code", flat=True)
    }


def spread_snapshot():
    return sorted(
        MunicipalityTask.objects.exclude(municipality__code__in=["370", "223"]).values_list(
            "municipality__code",
            "task__title",
            "state",
            "responsible__email",
            "executor__email",
            "needs_help",
        )
    )


def test_the_demo_data_ranks_the_98_municipalities_with_at_least_20_distinct_red_counts():
    call_command("load_demo", stdout=StringIO())

    counts = red_counts()

    assert len(counts) == 98
    assert len(set(counts.values())) >= 20, sorted(set(counts.values()))


def test_every_other_municipality_has_demo_persons_and_a_spread_of_state_and_staff():
    call_command("load_demo", stdout=StringIO())

    for municipality in Municipality.objects.exclude(code__in=["370", "223"]):
        persons = Person.objects.filter(municipality=municipality)
        assert persons.count() == 3
        assert all("(demo)" in p.name for p in persons)
    others = MunicipalityTask.objects.exclude(municipality__code__in=["370", "223"])
    assert set(others.values_list("state", flat=True)) == set(State.values)
    assert others.filter(responsible__isnull=False).exists()
    assert others.filter(responsible__isnull=True).exists()
    assert others.filter(executor__isnull=True, responsible__isnull=False).exists()
    assert others.filter(needs_help=True).exists()
    days = {(timezone.now() - t).days for t in others.values_list("updated_at", flat=True)}
    assert len(days) > 30  # last changes spread over two months
    for copy in others.filter(responsible__isnull=False).select_related("responsible")[:200]:
        assert copy.responsible.municipality_id == copy.municipality_id


def test_the_spread_is_drawn_from_a_fixed_seed():
    call_command("load_demo", stdout=StringIO())
    first = spread_snapshot()
    # As on a fresh database: the spread's persons gone and its copies untouched again.
    others = MunicipalityTask.objects.exclude(municipality__code__in=["370", "223"])
    others.update(state=State.NOT_STARTED, responsible=None, executor=None, version=0)
    Person.objects.exclude(municipality__code__in=["370", "223"]).delete()

    call_command("load_demo", stdout=StringIO())

    assert spread_snapshot() == first
