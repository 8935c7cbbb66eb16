"""`/`: colour counts of the user's own municipality, the next 8 months, tasks to escalate,
unstaffed roles, events and, for KOMBIT staff, municipalities × projects; in fixed queries."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from klik.models import Colour, MunicipalityTask, State
from overblik.charts import add_months
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    TaskFactory,
    municipality_task,
)
from tests.overblik.test_support_system import has_class, page

DAY = datetime.timedelta(days=1)
COUNT_RE = re.compile(r'data-colour="(\w+)"[^>]*>\s*<span class="klik-count-number">(\d+)</span>')


def counts_on_page(response):
    """{colour: count} as the dashboard shows it."""
    return {colour: int(n) for colour, n in COUNT_RE.findall(response.content.decode())}


@pytest.fixture
def one_of_each(naestved, hoersholm):
    """Næstved: one red, one yellow, one green, one grey task. Hørsholm: all four solved."""
    today = timezone.localdate()
    staff = {
        "responsible": PersonFactory(municipality=naestved),
        "executor": PersonFactory(municipality=naestved),
    }
    red = municipality_task(naestved, deadline=today - DAY)
    yellow = municipality_task(naestved, deadline=today + 60 * DAY)
    green = municipality_task(naestved, deadline=today + 60 * DAY)
    MunicipalityTask.objects.filter(pk=green.pk).update(state=State.IN_PROGRESS, **staff)
    municipality_task(naestved, starts_on=today + 10 * DAY, deadline=today + 60 * DAY)
    MunicipalityTask.objects.filter(municipality=hoersholm).update(state=State.DONE)
    return red, yellow


def test_the_dashboard_counts_only_the_users_own_municipality(leader_client, one_of_each):
    response = leader_client.get("/")
    assert response.status_code == 200
    assert counts_on_page(response) == {"red": 1, "yellow": 1, "green": 1, "grey": 1}


def test_the_dashboard_names_the_users_municipality(leader_client, one_of_each):
    assert "Næstved" in leader_client.get("/").content.decode()


def test_the_other_municipality_sees_its_own_counts(client, other_leader, one_of_each):
    client.force_login(other_leader)
    assert counts_on_page(client.get("/")) == {"red": 0, "yellow": 0, "green": 4, "grey": 0}


def test_kombit_staff_see_the_counts_of_all_municipalities(kombit_client, one_of_each):
    assert counts_on_page(kombit_client.get("/")) == {"red": 1, "yellow": 1, "green": 5, "grey": 1}


def test_every_colour_is_shown_with_its_danish_word(leader_client, one_of_each):
    page = leader_client.get("/").content.decode()
    for word in ("Rød", "Gul", "Grøn", "Grå"):
        assert word in page


def test_the_dashboard_runs_the_same_queries_for_5_and_50_tasks(
    leader_client, naestved, hoersholm, django_assert_num_queries
):
    TaskFactory.create_batch(5)
    # One aggregate gives counts, escalation count and matrix; one the chart (issue 12); one
    # the trend chart (issue 14).
    with django_assert_num_queries(10):
        assert counts_on_page(leader_client.get("/"))["yellow"] == 5
    TaskFactory.create_batch(45)
    with django_assert_num_queries(10):
        assert counts_on_page(leader_client.get("/"))["yellow"] == 50


# --- Colour counts -----------------------------------------------------------------


def today():
    return timezone.localdate()


def dashboard_counts(doc):
    return {
        a.get("data-colour"): int(a.xpath(f".//span[{has_class('klik-count-number')}]")[0].text)
        for a in doc.xpath(f"//a[{has_class('klik-count')}]")
    }


def make(municipality, colour, *, updated_days_ago=0, **task_fields):
    """A municipality task in `colour` today, last changed `updated_days_ago` days ago."""
    fields = {"published_on": today() - 30 * DAY, **task_fields}
    if colour == Colour.GREY:
        fields.setdefault("starts_on", today() + DAY)
    mt = municipality_task(municipality, **fields)
    person = PersonFactory(municipality=municipality)
    mt.responsible = mt.executor = None if colour == Colour.YELLOW else person
    mt.state = {Colour.RED: State.BLOCKED, Colour.GREEN: State.DONE}.get(colour, State.IN_PROGRESS)
    mt.updated_at = timezone.now() - datetime.timedelta(days=updated_days_ago)
    mt.save()
    assert MunicipalityTask.objects.with_colour(today()).get(pk=mt.pk).colour == colour
    return mt


@pytest.fixture
def mixed(naestved, hoersholm):
    """Næstved: 2 red, 1 yellow, 3 green, 1 grey. Hørsholm gets the same tasks, all left as
    published (no one on them)."""
    for colour, n in [(Colour.RED, 2), (Colour.YELLOW, 1), (Colour.GREEN, 3), (Colour.GREY, 1)]:
        for _ in range(n):
            make(naestved, colour)


def test_the_colour_counts_are_the_users_municipality(mixed, leader_client):
    doc = page(leader_client, "/")

    assert dashboard_counts(doc) == {"red": 2, "yellow": 1, "green": 3, "grey": 1}


def test_each_colour_count_links_to_the_filtered_list(mixed, leader_client):
    doc = page(leader_client, "/")

    link = doc.xpath(f"//a[{has_class('klik-count')}][@data-colour='red']")[0]
    assert link.get("href") == "/klik/?status=red"


def test_kombit_staff_see_the_nations_counts(mixed, kombit_client):
    doc = page(kombit_client, "/")

    # Hørsholm's 7 copies: 1 grey (not started yet), 6 yellow (nobody on them).
    assert dashboard_counts(doc) == {"red": 2, "yellow": 1 + 6, "green": 3, "grey": 1 + 1}


@pytest.mark.parametrize("who", ["leader", "kombit"])
def test_the_dashboard_counts_equal_the_lists_facets(mixed, who, client, request):
    client.force_login(request.getfixturevalue(who))

    dashboard = dashboard_counts(page(client, "/"))
    listed = page(client, "/klik/")
    facets = {
        a.get("data-colour"): int(a.xpath(f".//span[{has_class('klik-facet-count')}]")[0].text)
        for a in listed.xpath(f"//a[{has_class('klik-facet')}]")
    }
    assert dashboard == facets


# --- To escalate ------------------------------------------------------------------------


def escalated(doc):
    return [int(tr.get("data-task")) for tr in doc.xpath("//tr[@data-task]")]


def test_red_and_yellow_tasks_unchanged_for_the_escalation_days_are_listed_oldest_first(
    naestved, leader_client, settings
):
    settings.KLIK_ESCALATION_DAYS = 14
    old_red = make(naestved, Colour.RED, updated_days_ago=40)
    old_yellow = make(naestved, Colour.YELLOW, updated_days_ago=20)
    make(naestved, Colour.GREEN, updated_days_ago=90)
    make(naestved, Colour.GREY, updated_days_ago=90)
    make(naestved, Colour.RED, updated_days_ago=3)

    doc = page(leader_client, "/")

    assert escalated(doc) == [old_red.pk, old_yellow.pk]
    assert "Til eskalering" in doc.text_content()


def test_the_escalation_list_follows_its_rule_at_the_boundary(naestved, leader_client, settings):
    settings.KLIK_ESCALATION_DAYS = 14
    boundary = timezone.now() - datetime.timedelta(days=14)
    just_over = make(naestved, Colour.RED)
    just_under = make(naestved, Colour.RED)
    MunicipalityTask.objects.filter(pk=just_over.pk).update(
        updated_at=boundary - datetime.timedelta(minutes=1)
    )
    MunicipalityTask.objects.filter(pk=just_under.pk).update(
        updated_at=boundary + datetime.timedelta(minutes=1)
    )

    doc = page(leader_client, "/")

    assert escalated(doc) == [just_over.pk]


def test_the_escalation_days_come_from_the_setting(naestved, leader_client, settings):
    settings.KLIK_ESCALATION_DAYS = 30
    make(naestved, Colour.RED, updated_days_ago=20)

    doc = page(leader_client, "/")

    assert escalated(doc) == []
    assert "Intet at eskalere" in doc.text_content()


def test_the_escalation_list_only_shows_the_users_municipality(naestved, hoersholm, leader_client):
    make(hoersholm, Colour.RED, updated_days_ago=40)

    assert escalated(page(leader_client, "/")) == []


# --- The next 8 months ----------------------------------------------------------------


def month_cells(doc, month, kind):
    row = doc.xpath(f'//tr[@data-month="{month:%Y-%m}"][@data-kind="{kind}"]')[0]
    return {td.get("data-segment"): int(td.text) for td in row.xpath("./td[@data-segment]")}


def test_the_chart_counts_tasks_starting_and_due_per_month_by_colour(naestved, leader_client):
    in_two = add_months(today(), 2)
    in_three = add_months(today(), 3)
    for _ in range(3):
        make(naestved, Colour.GREY, starts_on=in_two + 4 * DAY, deadline=in_three + 9 * DAY)
    make(naestved, Colour.RED, deadline=in_two + DAY)
    make(naestved, Colour.GREY, starts_on=add_months(today(), 8))  # beyond the 8 months

    doc = page(leader_client, "/")

    assert month_cells(doc, in_two, "starting") == {"red": 0, "yellow": 0, "green": 0, "grey": 3}
    assert month_cells(doc, in_two, "due") == {"red": 1, "yellow": 0, "green": 0, "grey": 0}
    assert month_cells(doc, in_three, "due")["grey"] == 3
    assert len(doc.xpath("//tr[@data-kind='starting']")) == 8


def test_the_chart_is_inline_svg_with_text_labels_and_no_external_script(naestved, leader_client):
    next_month = add_months(today(), 1)
    make(naestved, Colour.GREY, starts_on=next_month)

    response = leader_client.get("/")
    doc = page(leader_client, "/")

    svg = doc.xpath("//svg")[0]
    assert svg.get("role") == "img"
    month = svg.xpath(f".//g[@data-month='{next_month:%Y-%m}']")[0]
    labels = [t.text for t in month.xpath(".//text")]
    assert date_filter(next_month, "M") in labels
    assert month.xpath("./g[@data-kind='starting']")[0].get("data-total") == "1"
    assert "Grå" in svg.text_content() and "Rød" in svg.text_content()
    assert 'src="http' not in response.content.decode()


# --- Unstaffed roles, events ----------------------------------------------------------


def test_the_unstaffed_required_roles_count_links_to_staffing(naestved, leader_client):
    ProjectRoleFactory(required=True)
    staffed = ProjectRoleFactory(required=True)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved), role=staffed.role, project=staffed.project
    )
    ProjectRoleFactory(required=False)

    doc = page(leader_client, "/")

    link = doc.xpath("//a[@data-unstaffed-count]")[0]
    assert link.get("data-unstaffed-count") == "1"
    assert urlsplit(link.get("href")).path == "/roller/bemanding/"


def test_coming_events_are_shown_and_past_ones_are_not(leader_client):
    EventFactory(title="Kommunedag i morgen", starts_at=timezone.now() + DAY)
    EventFactory(title="Webinar i går", starts_at=timezone.now() - DAY)

    doc = page(leader_client, "/")

    text = doc.text_content()
    assert "Kommunedag i morgen" in text
    assert "Webinar i går" not in text


# --- KOMBIT staff: municipalities × projects -------------------------------------------


@pytest.fixture
def nation(db):
    bbr, dar = ProjectFactory(slug="bbr", short_name="BBR"), ProjectFactory(slug="dar")
    a, b, c = (MunicipalityFactory(code=code) for code in ("101", "147", "151"))
    for municipality, project, colour, n in [
        (a, bbr, Colour.YELLOW, 3),
        (b, bbr, Colour.RED, 1),
        (b, dar, Colour.YELLOW, 1),
        (c, dar, Colour.GREEN, 4),
    ]:
        for _ in range(n):
            mt = make(municipality, colour, project=project)
            # Every other municipality's copy is done, so only the planned ones count.
            mt.task.municipality_tasks.exclude(pk=mt.pk).update(state=State.DONE)
    return {"a": a, "b": b, "c": c}


def test_kombit_staff_see_municipalities_by_red_and_yellow_worst_first(nation, kombit_client):
    doc = page(kombit_client, "/")

    order = [tr.get("data-municipality") for tr in doc.xpath("//tr[@data-municipality]")]
    # Red counts before yellow; green-only 151 is listed too, last (issue 13: all of them).
    assert order == ["147", "101", "151"]


def test_each_matrix_cell_links_to_the_list_for_that_municipality_and_project(
    nation, kombit_client
):
    doc = page(kombit_client, "/")

    row = doc.xpath("//tr[@data-municipality='147']")[0]
    links = [a.get("href") for a in row.xpath(f".//a[{has_class('klik-red')}]")]
    queries = [parse_qs(urlsplit(link).query) for link in links]
    assert {"status": ["red"], "municipality": ["147"], "project": ["bbr"]} in queries


def test_programme_tasks_have_their_own_column_without_a_link(nation, kombit_client):
    """/klik/ cannot filter to tasks without a project, so that count links nowhere."""
    make(MunicipalityFactory(code="101"), Colour.RED, project=None)

    doc = page(kombit_client, "/")

    headers = [th.text_content() for th in doc.xpath("//tr[th='Kommune']/th")]
    column = headers.index("Program")
    cell = doc.xpath("//tr[@data-municipality='101']/*")[column]
    assert "1" in cell.text_content()
    assert cell.xpath(".//span[contains(@class, 'matrix-count')]")
    assert not cell.xpath(".//a")


def test_municipal_users_do_not_see_the_municipality_table(nation, leader_client):
    doc = page(leader_client, "/")

    assert not doc.xpath("//tr[@data-municipality]")


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("who", ["leader", "kombit"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    size, who, naestved, request, client, django_assert_num_queries
):
    for i in range(size):
        MunicipalityFactory()
        project = ProjectFactory()
        ProjectRoleFactory(project=project)
        EventFactory(starts_at=timezone.now() + (i + 1) * DAY)
        for colour in Colour:
            make(naestved, colour, project=project, updated_days_ago=30)
    client.force_login(request.getfixturevalue(who))

    # KOMBIT's matrix names its municipalities and projects (+2); a leader's page counts the
    # unstaffed roles (+1). One aggregate gives counts, escalation count and matrix (issue 12),
    # one the trend chart (issue 14).
    with django_assert_num_queries({"leader": 11, "kombit": 12}[who]):
        response = client.get("/")
    assert response.status_code == 200


# Issue 8: the dashboard used to ignore ?municipality= for municipal users; now naming another
# municipality is a 404 here too, as on every page and export.
@pytest.mark.parametrize("code", ["223", "999", "abc"])
def test_a_programme_leader_naming_another_municipality_gets_404(leader_client, hoersholm, code):
    assert leader_client.get(f"/?municipality={code}").status_code == 404


def test_a_programme_leader_naming_their_own_municipality_sees_the_same_counts(
    leader_client, one_of_each
):
    own = leader_client.get("/?municipality=370")
    assert own.status_code == 200
    assert counts_on_page(own) == counts_on_page(leader_client.get("/"))


def test_kombit_staff_may_name_a_municipality(kombit_client, hoersholm):
    assert kombit_client.get("/?municipality=223").status_code == 200
