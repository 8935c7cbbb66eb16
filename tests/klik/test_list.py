"""The /klik/ page: scoping, facets, sorting, paging, bad input, export link, query counts."""

import re

import pytest
from django.utils.http import urlencode

from klik.models import Colour, MunicipalityTask, State
from tests.factories import (
    InterfaceFactory,
    PersonFactory,
    ProjectFactory,
    SupportSystemFactory,
    TaskFactory,
)
from tests.klik.conftest import DAY, colour_setup, today
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


def test_the_list_needs_a_login(client, naestved):
    response = client.get("/klik/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_municipal_users_see_only_their_own_municipality(leader_client, make_task, hoersholm):
    own = make_task()
    make_task(municipality=hoersholm)
    shown = listed(leader_client.get("/klik/"))
    assert sorted(shown) == sorted(
        MunicipalityTask.objects.filter(municipality__code="370").values_list("pk", flat=True)
    )
    assert own.pk in shown
    assert not MunicipalityTask.objects.filter(pk__in=shown, municipality=hoersholm).exists()


def test_kombit_staff_see_every_municipality_with_a_municipality_column(
    kombit_client, naestved, hoersholm
):
    TaskFactory()
    response = kombit_client.get("/klik/")
    assert len(listed(response)) == 2
    assert ">Kommune<" in response.content.decode()


def test_municipal_users_get_no_municipality_column(leader_client, make_task):
    make_task()
    html = leader_client.get("/klik/").content.decode()
    assert ">Kommune<" not in html
    for header in ("Projekt", "Opgave", "Støttesystem", "Snitflader", "Startdato", "Slutdato"):
        assert f">{header}<" in html
    for header in ("Status", "Tilstand", "Ansvarlig", "Udfører"):
        assert f">{header}<" in html


def test_status_is_shown_as_a_word_with_an_icon(leader_client, make_task):
    make_task(Colour.RED)
    html = leader_client.get("/klik/").content.decode()
    assert re.search(
        r'klik-chip klik-red"><span class="klik-icon" aria-hidden="true">✖</span> Rød', html
    )


def test_task_title_links_to_the_task_page(leader_client, make_task):
    mt = make_task(title="Opsæt adgang")
    assert (
        f'<a href="/klik/{mt.pk}/">Opsæt adgang</a>' in leader_client.get("/klik/").content.decode()
    )


def test_facets_count_each_colour_under_the_other_filters(leader_client, rainbow, make_task):
    bbr = ProjectFactory(slug="bbr")
    make_task(Colour.RED, project=bbr)
    make_task(Colour.GREY, project=bbr)
    response = leader_client.get("/klik/?project=bbr&status=red")
    facets = {f["colour"]: f for f in response.context["facets"]}
    assert {c: f["count"] for c, f in facets.items()} == {
        "red": 1,
        "yellow": 0,
        "green": 0,
        "grey": 1,
    }
    assert facets["red"]["active"] and not facets["grey"]["active"]


def test_a_facet_toggles_its_colour_and_keeps_the_other_filters(leader_client, rainbow):
    response = leader_client.get("/klik/?q=opgave&status=red&page=2")
    facets = {f["colour"]: f["url"] for f in response.context["facets"]}
    assert facets["red"] == "?q=opgave"
    assert facets["grey"] == "?q=opgave&status=red&status=grey"
    html = response.content.decode()
    assert 'href="?q=opgave&amp;status=red&amp;status=grey"' in html


def test_facets_run_in_one_aggregate_query(leader_client, rainbow, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        leader_client.get("/klik/")
    aggregates = [q["sql"] for q in queries if 'AS "red"' in q["sql"] or "AS `red`" in q["sql"]]
    assert len(aggregates) == 1


def test_sorting_by_status_orders_by_severity(leader_client, rainbow):
    shown = listed(leader_client.get("/klik/?sort=status"))
    colours = [MunicipalityTask.objects.with_colour().get(pk=pk).colour for pk in shown]
    assert colours == ["red"] * 2 + ["yellow"] * 2 + ["green"] * 2 + ["grey"] * 2
    shown = listed(leader_client.get("/klik/?sort=-status"))
    colours = [MunicipalityTask.objects.with_colour().get(pk=pk).colour for pk in shown]
    assert colours == ["grey"] * 2 + ["green"] * 2 + ["yellow"] * 2 + ["red"] * 2


@pytest.fixture
def three_distinct(naestved, make_task):
    """Three Næstved tasks that differ in every column: red A…, yellow B…, green C…."""
    made = []
    for n, (letter, colour) in enumerate(
        zip("ABC", [Colour.RED, Colour.YELLOW, Colour.GREEN], strict=True)
    ):
        mt = make_task(
            colour,
            title=f"{letter} opgave",
            project=ProjectFactory(slug=f"{letter.lower()}x", short_name=f"{letter}X"),
            support_system=SupportSystemFactory(slug=f"{letter.lower()}s", name=f"{letter} system"),
            starts_on=today() - (30 - 10 * n) * DAY,
        )
        mt.task.interfaces.add(InterfaceFactory(code=f"SF100{n}"))
        mt.responsible = PersonFactory(municipality=naestved, name=f"{letter} ansvarlig")
        mt.executor = PersonFactory(municipality=naestved, name=f"{letter} udfører")
        mt.needs_help = colour == Colour.YELLOW
        mt.state = {Colour.RED: State.IN_PROGRESS, Colour.YELLOW: State.NOT_STARTED}.get(
            colour, State.DONE
        )
        mt.save()
        made.append(mt.pk)
    return made


@pytest.mark.parametrize(
    "column",
    [
        "project",
        "title",
        "support_system",
        "interfaces",
        "starts_on",
        "deadline",
        "status",
        "state",
        "responsible",
        "executor",
    ],
)
def test_every_column_sorts_both_ways(leader_client, three_distinct, column):
    a, b, c = three_distinct
    html = leader_client.get("/klik/").content.decode()
    assert f'href="?sort={column}"' in html
    up = listed(leader_client.get(f"/klik/?sort={column}"))
    down = listed(leader_client.get(f"/klik/?sort=-{column}"))
    # Workflow order for the state: not started (b), in progress (a), solved (c).
    assert up == ([b, a, c] if column == "state" else [a, b, c])
    assert down == list(reversed(up))


def test_kombit_staff_can_sort_by_municipality(kombit_client, naestved, hoersholm):
    TaskFactory()
    shown = listed(kombit_client.get("/klik/?sort=municipality"))
    names = [MunicipalityTask.objects.get(pk=pk).municipality.name for pk in shown]
    assert names == ["Hørsholm", "Næstved"]
    shown = listed(kombit_client.get("/klik/?sort=-municipality"))
    assert [MunicipalityTask.objects.get(pk=pk).municipality.name for pk in shown] == [
        "Næstved",
        "Hørsholm",
    ]


def test_sorting_by_deadline_descending(leader_client, make_task):
    a = make_task(deadline=today() + 10 * DAY)
    b = make_task(deadline=today() + 30 * DAY)
    c = make_task(deadline=today() + 20 * DAY)
    assert listed(leader_client.get("/klik/?sort=-deadline")) == [b.pk, c.pk, a.pk]


def test_unknown_sort_keys_are_ignored(leader_client, rainbow):
    default = listed(leader_client.get("/klik/"))
    assert listed(leader_client.get("/klik/?sort=__class__")) == default
    assert listed(leader_client.get("/klik/?sort=-task__municipality__users")) == default


@pytest.fixture
def many(naestved):
    """120 Næstved tasks, published in bulk through the service."""
    for n in range(120):
        TaskFactory(title=f"Opgave {n:03d}")
    return MunicipalityTask.objects.filter(municipality=naestved)


def test_fifty_rows_per_page_by_default(leader_client, many):
    response = leader_client.get("/klik/")
    assert len(listed(response)) == 50
    assert "Viser 1–50 af 120 opgaver" in response.content.decode()


def test_per_page_is_capped_at_200(leader_client, naestved):
    for n in range(205):
        TaskFactory(title=f"Opgave {n:03d}")
    assert len(listed(leader_client.get("/klik/?per_page=1000000000"))) == 200
    assert len(listed(leader_client.get("/klik/?per_page=10"))) == 10


def test_a_page_past_the_end_shows_the_last_page(leader_client, many):
    response = leader_client.get("/klik/?page=99")
    assert response.context["table"].page.number == 3
    assert len(listed(response)) == 20


def test_bad_values_show_a_danish_error_next_to_the_field(leader_client, make_task):
    make_task()
    response = leader_client.get("/klik/?status=purple&deadline_after=2026-02-30")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Marker en gyldig valgmulighed. purple er ikke en af de tilgængelige valgmuligheder."
        in html
    )
    assert "Indtast en gyldig dato." in html
    field = re.search(r'<div class="form-group form-error">.*?</div>', html, re.S).group(0)
    assert 'for="id_deadline_after"' in field and "Indtast en gyldig dato." in field
    assert listed(response) == []


def test_the_export_link_carries_exactly_the_current_query_string(leader_client, make_task):
    make_task()
    query = urlencode(
        [("status", "red"), ("status", "yellow"), ("q", "æ ø"), ("sort", "-deadline")]
    )
    response = leader_client.get(f"/klik/?{query}")
    assert response.context["export_url"] == f"/klik/eksport.xlsx?{query}"
    assert 'id="export-link"' in response.content.decode()
    assert "Eksportér til Excel" in response.content.decode()


def test_the_export_link_without_filters_has_no_query_string(leader_client, make_task):
    make_task()
    assert leader_client.get("/klik/").context["export_url"] == "/klik/eksport.xlsx"


def _tasks(municipality, count):
    colours = list(Colour)
    for n in range(count):
        task = TaskFactory.build(title=f"Opgave {n}", project=ProjectFactory(slug=f"p{n % 7}"))
        from klik.services import task_publish
        from tests.klik.conftest import task_fields

        for field, value in task_fields(colours[n % 4]).items():
            setattr(task, field, value)
        task_publish(task=task)
        colour_setup(
            MunicipalityTask.objects.get(task=task, municipality=municipality), colours[n % 4]
        )


@pytest.mark.parametrize("rows", [10, 500])
@pytest.mark.parametrize(
    "query, queries",
    [
        # Issue 9: +1 the municipality's persons (one query for both person filters), +1 the
        # user's saved filters ("Mine filtre"). Issue 15: +2 the user's and their groups'
        # permissions ("Ny lokal opgave" is for editors, not readers).
        ("", 13),
        # The project filter looks its choice up: one query more.
        ("?status=red&project=p1&sort=status&q=opgave", 14),
        ("?sort=interfaces&page=3", 13),
    ],
)
def test_the_list_runs_a_fixed_number_of_queries(
    leader_client, naestved, django_assert_num_queries, rows, query, queries
):
    _tasks(naestved, rows)
    with django_assert_num_queries(queries):
        response = leader_client.get(f"/klik/{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_the_list_for_kombit_staff_runs_a_fixed_number_of_queries(
    kombit_client, naestved, hoersholm, django_assert_num_queries, rows
):
    _tasks(naestved, rows // 2)
    with django_assert_num_queries(12):  # +1: "Mine filtre" (issue 9)
        response = kombit_client.get("/klik/?municipality=370&municipality=223")
    assert response.status_code == 200
