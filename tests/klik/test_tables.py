"""The KLIK table's cells and totals, which the list renders without per-cell templates."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klik.models import Colour
from tests.factories import ProjectFactory
from tests.klik.conftest import DAY, today
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=red",
        "status=red&status=red&status=yellow",
        "status=grey&status=green&status=yellow&status=red",
        "status=green&q=BBR",
        "project=bbr",
        "project=bbr&status=yellow",
        "q=ingen-opgave-hedder-sådan",
    ],
)
def test_the_total_under_the_table_equals_the_tasks_listed(
    leader_client, rainbow, make_task, query
):
    bbr = ProjectFactory(slug="bbr", short_name="BBR")
    make_task(Colour.GREEN, project=bbr)
    make_task(Colour.YELLOW, project=bbr)
    response = leader_client.get(f"/klik/?per_page=200&{query}")
    shown = len(listed(response))
    assert response.context["table"].paginator.count == shown
    if shown:
        assert f"af {shown} opgave" in response.content.decode()


def test_the_total_counts_all_pages(leader_client, make_task):
    for _ in range(7):
        make_task(Colour.RED)
    make_task(Colour.GREEN)
    response = leader_client.get("/klik/?status=red&per_page=3&page=3")
    assert len(listed(response)) == 1
    assert "Viser 7–7 af 7 opgaver" in response.content.decode()


def test_an_invalid_colour_lists_nothing_and_shows_no_total(leader_client, rainbow):
    response = leader_client.get("/klik/?status=purple&status=red")
    assert listed(response) == []
    assert "Viser" not in response.content.decode()


def test_the_list_counts_its_rows_in_the_facet_query_alone(leader_client, rainbow):
    with CaptureQueriesContext(connection) as queries:
        leader_client.get("/klik/?status=red&status=yellow")
    assert sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries) == 1


def test_each_row_shows_the_chip_of_its_own_colour(leader_client, rainbow):
    html = leader_client.get("/klik/").content.decode()
    rows = re.findall(r'<tr data-colour="(\w+)".*?klik-chip klik-(\w+)"', html, re.S)
    assert len(rows) == 8
    assert all(row_colour == chip_colour for row_colour, chip_colour in rows)


def test_dates_are_shown_day_month_year_and_a_missing_deadline_as_a_dash(leader_client, make_task):
    make_task(Colour.GREEN, starts_on=datetime.date(2020, 5, 3), deadline=today() + 60 * DAY)
    make_task(Colour.GREEN, starts_on=datetime.date(2020, 5, 3), deadline=None)
    html = leader_client.get("/klik/").content.decode()
    # The start date folds under the title as "Startdato <date>".
    starts = re.findall(r"<span>Startdato ([^<]*)</span>", html)
    deadlines = re.findall(r'<td class="deadline"[^>]*>([^<]*)</td>', html)
    assert starts == ["03.05.2020", "03.05.2020"]
    assert sorted(deadlines) == sorted([(today() + 60 * DAY).strftime("%d.%m.%Y"), "—"])


def test_the_klik_table_template_writes_each_cells_attributes_as_django_tables2_would(
    leader_client, kombit_client, rainbow
):
    for client in (leader_client, kombit_client):
        table = client.get("/klik/").context["table"]
        for column in table.columns:
            assert column.attrs["td"].as_html() == f'class="{column.name}"'


def test_support_system_interfaces_and_start_fold_under_the_title(leader_client, make_task):
    from tests.factories import InterfaceFactory, SupportSystemFactory

    mt = make_task(
        title="Opsæt adgang",
        support_system=SupportSystemFactory(name="STS Adgangsstyring"),
        starts_on=datetime.date(2020, 5, 3),
    )
    mt.task.interfaces.add(InterfaceFactory(code="SF1511"), InterfaceFactory(code="SF1514"))
    html = leader_client.get("/klik/").content.decode()
    assert (
        '<span class="klik-folded"><span>STS Adgangsstyring</span> · <span>SF1511 SF1514</span>'
        " · <span>Startdato 03.05.2020</span></span>"
    ) in html
    headers = re.findall(r'<th scope="col"[^>]*>\s*<a class="table-sort" href="\?sort=(\w+)"', html)
    assert headers == ["status", "title", "project", "deadline", "state", "responsible", "executor"]
