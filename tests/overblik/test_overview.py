"""`/overblik/`: a row per project with pilot, rollout, infrastructure and colour counts."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import html

from klik.models import Colour, MunicipalityTask, State
from portfolio.models import Project
from tests.factories import (
    InterfaceFactory,
    InterfaceUsageFactory,
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    SupportSystemFactory,
    TaskFactory,
)
from tests.filtering import errors_at, marked_fields, says_nothing_is_listed
from tests.overblik.test_support_system import has_class, page

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def rows(doc):
    """{project slug: row element} in page order."""
    return {tr.get("data-project"): tr for tr in doc.xpath("//tr[@data-project]")}


def counts(row, support_system):
    """{colour: (count, link)} of one support system's block in an overview row."""
    block = row.xpath(f'.//div[@data-support-system="{support_system}"]')[0]
    return {
        a.get("data-colour"): (int(a.get("data-count")), a.get("href"))
        for a in block.xpath(".//a[@data-colour]")
    }


def set_colour(mt, colour, person):
    """Put a municipality task into `colour` for today (the task's dates allow it)."""
    mt.responsible = mt.executor = None if colour == Colour.YELLOW else person
    mt.state = {Colour.RED: State.BLOCKED, Colour.GREEN: State.DONE}.get(colour, State.IN_PROGRESS)
    mt.save()


@pytest.fixture
def infra(naestved, hoersholm):
    """Two projects on one support system; Næstved's tasks: BBR 2 red 1 yellow, DAR 1 green.
    Hørsholm's copies are all red."""
    system = SupportSystemFactory(slug="sts-adgangsstyring", name="STS Adgangsstyring")
    other = SupportSystemFactory(slug="sts-organisation", name="STS Organisation")
    bbr = ProjectFactory(slug="bbr", short_name="BBR", phase=Project.Phase.ROLLOUT)
    dar = ProjectFactory(slug="dar", short_name="DAR", phase=Project.Phase.OPERATION)
    sf1511 = InterfaceFactory(code="SF1511", support_system=system)
    InterfaceUsageFactory(project=bbr, interface=sf1511, state="in_progress")
    InterfaceUsageFactory(project=dar, interface=sf1511, state="completed")
    person = PersonFactory(municipality=naestved)
    plan = [(bbr, Colour.RED), (bbr, Colour.RED), (bbr, Colour.YELLOW), (dar, Colour.GREEN)]
    for project, colour in plan:
        task = TaskFactory(project=project, support_system=system, published_on=today() - DAY)
        set_colour(task.municipality_tasks.get(municipality=naestved), colour, person)
        set_colour(task.municipality_tasks.get(municipality=hoersholm), Colour.RED, None)
    # Not about the shared infrastructure: never counted on the overview.
    TaskFactory(project=bbr, support_system=None, deadline=today() - DAY)
    TaskFactory(project=dar, support_system=other, starts_on=today() + DAY)
    return {"system": system, "bbr": bbr, "dar": dar}


def test_each_project_has_a_row_with_its_infrastructure_counts(infra, leader_client):
    doc = page(leader_client, "/overblik/")

    found = rows(doc)
    assert list(found) == ["bbr", "dar"]
    assert {c: n for c, (n, _) in counts(found["bbr"], "sts-adgangsstyring").items()} == {
        "red": 2,
        "yellow": 1,
    }
    assert {c: n for c, (n, _) in counts(found["dar"], "sts-adgangsstyring").items()} == {
        "green": 1
    }
    assert {c: n for c, (n, _) in counts(found["dar"], "sts-organisation").items()} == {"grey": 1}


def test_each_count_links_to_the_klik_list_with_the_matching_filters(infra, leader_client):
    doc = page(leader_client, "/overblik/")

    _, link = counts(rows(doc)["bbr"], "sts-adgangsstyring")["red"]
    url = urlsplit(link)
    assert url.path == "/klik/"
    assert parse_qs(url.query) == {
        "status": ["red"],
        "project": ["bbr"],
        "support_system": ["sts-adgangsstyring"],
    }


def test_the_row_shows_the_interfaces_with_their_state(infra, leader_client):
    doc = page(leader_client, "/overblik/")

    text = " ".join(rows(doc)["bbr"].text_content().split())
    assert "SF1511 (i gang)" in text


def test_colour_filter_keeps_only_projects_with_such_tasks_and_counts_follow(infra, leader_client):
    doc = page(leader_client, "/overblik/?status=red")

    found = rows(doc)
    assert list(found) == ["bbr"]
    assert {c: n for c, (n, _) in counts(found["bbr"], "sts-adgangsstyring").items()} == {"red": 2}


def test_colour_filter_repeats_to_allow_several_colours(infra, leader_client):
    doc = page(leader_client, "/overblik/?status=red&status=green")

    assert list(rows(doc)) == ["bbr", "dar"]


def test_colour_filter_agrees_with_the_klik_list_for_the_same_user(infra, leader):
    """The overview's red counts are exactly the rows its links ask the list for."""
    from django.test import Client

    client = Client()
    client.force_login(leader)
    doc = page(client, "/overblik/?status=red")
    _, link = counts(rows(doc)["bbr"], "sts-adgangsstyring")["red"]
    query = parse_qs(urlsplit(link).query)

    listed = (
        MunicipalityTask.objects.visible_to(leader)
        .with_colour(today())
        .filter(
            colour__in=query["status"],
            task__project__slug__in=query["project"],
            task__support_system__slug=query["support_system"][0],
        )
    )
    assert listed.count() == 2
    assert set(listed.values_list("municipality_id", flat=True)) == {leader.municipality_id}


@pytest.mark.parametrize("who", ["leader", "kombit"])
def test_each_overview_count_equals_what_the_klik_list_shows_for_its_link(
    infra, who, client, request
):
    client.force_login(request.getfixturevalue(who))
    doc = page(client, "/overblik/?status=red&status=yellow")

    links = [
        (int(a.get("data-count")), a.get("href"))
        for a in doc.xpath("//tr[@data-project]//a[@data-colour]")
    ]
    assert links
    for count, link in links:
        colour = parse_qs(urlsplit(link).query)["status"][0]
        listed = page(client, link)
        facet = listed.xpath(
            f"//a[{has_class('klik-facet')}][@data-colour='{colour}']"
            f"//span[{has_class('klik-facet-count')}]"
        )[0]
        assert int(facet.text) == count, link


def test_support_system_filter_narrows_projects_and_blocks(infra, leader_client):
    doc = page(leader_client, "/overblik/?support_system=sts-organisation")

    found = rows(doc)
    assert list(found) == ["dar"]
    assert found["dar"].xpath('.//div[@data-support-system="sts-organisation"]')
    assert not found["dar"].xpath('.//div[@data-support-system="sts-adgangsstyring"]')
    _, link = counts(found["dar"], "sts-organisation")["grey"]
    assert "support_system=sts-organisation" in link


def test_phase_filter_keeps_projects_in_that_phase(infra, leader_client):
    doc = page(leader_client, "/overblik/?phase=operation")

    assert list(rows(doc)) == ["dar"]


def test_no_matching_project_says_so_in_danish(infra, leader_client):
    doc = page(leader_client, "/overblik/?status=grey&support_system=sts-adgangsstyring")

    assert rows(doc) == {}
    assert "Ingen opgaver matcher filtrene" in doc.text_content()


# Issue 8: a bad value used to be shown as a message while the others still applied (a
# half-filtered list); now it is shown at its field and no project is listed until corrected.
@pytest.mark.parametrize(
    "query, field",
    [
        ("status=purple", "status"),
        ("status=red&status=purple", "status"),
        ("support_system=findes-ikke", "support_system"),
        ("phase=moon", "phase"),
        ("support_system=%00", "support_system"),
        ("status=" + "x" * 5000, "status"),
    ],
)
def test_a_bad_filter_value_is_shown_at_its_field_and_no_project_is_listed(
    infra, leader_client, query, field
):
    response = leader_client.get(f"/overblik/?{query}")

    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert list(rows(doc)) == []
    assert marked_fields(response) == [field]
    assert errors_at(response, field)
    assert says_nothing_is_listed(response)


def test_a_bad_value_beside_a_good_one_lists_nothing_and_keeps_the_good_one_chosen(
    infra, leader_client
):
    response = leader_client.get("/overblik/?status=red&phase=moon")

    doc = html.fromstring(response.content.decode())
    assert list(rows(doc)) == []
    assert marked_fields(response) == ["phase"]
    assert doc.xpath("//input[@name='status'][@value='red']")[0].get("checked") is not None


def test_a_municipal_user_only_counts_their_own_municipality(infra, leader_client):
    doc = page(leader_client, "/overblik/?status=red")

    # Hørsholm's copies are all red; Næstved's DAR copy is not, so DAR stays out.
    assert list(rows(doc)) == ["bbr"]
    assert counts(rows(doc)["bbr"], "sts-adgangsstyring")["red"][0] == 2


def test_a_municipal_user_naming_another_municipality_gets_404(infra, leader_client):
    assert leader_client.get("/overblik/?municipality=223").status_code == 404


def test_a_municipal_user_naming_their_own_municipality_is_fine(infra, leader_client):
    assert leader_client.get("/overblik/?municipality=370").status_code == 200


def test_kombit_staff_count_all_municipalities(infra, kombit_client):
    doc = page(kombit_client, "/overblik/")

    found = counts(rows(doc)["bbr"], "sts-adgangsstyring")
    assert found["red"][0] == 2 + 3
    assert found["yellow"][0] == 1


def test_kombit_staff_may_choose_one_municipality_and_the_links_carry_it(infra, kombit_client):
    doc = page(kombit_client, "/overblik/?municipality=223")

    red, link = counts(rows(doc)["bbr"], "sts-adgangsstyring")["red"]
    assert red == 3
    assert parse_qs(urlsplit(link).query)["municipality"] == ["223"]


def test_kombit_staff_naming_an_unknown_municipality_see_it_at_the_field_and_no_rows(
    infra, kombit_client
):
    response = kombit_client.get("/overblik/?municipality=999")

    assert list(rows(html.fromstring(response.content.decode()))) == []
    assert errors_at(response, "municipality") == ["Der findes ingen kommune med koden “999”."]


@pytest.mark.parametrize("code", ["999", "abc", "%00", "370&municipality=223"])
def test_a_municipal_user_naming_any_code_but_their_own_gets_404(infra, leader_client, code):
    assert leader_client.get(f"/overblik/?municipality={code}").status_code == 404


def test_a_municipal_user_naming_their_own_municipality_sees_the_same_rows(infra, leader_client):
    own = page(leader_client, "/overblik/?municipality=370")

    assert list(rows(own)) == list(rows(page(leader_client, "/overblik/")))
    assert counts(rows(own)["bbr"], "sts-adgangsstyring")["red"][0] == 2


def test_the_overview_links_each_support_system_page(infra, leader_client):
    doc = page(leader_client, "/overblik/")

    assert doc.xpath('//nav//a[@href="/overblik/sts-adgangsstyring/"]')


def test_the_deck_projects_show_pilot_and_rollout_as_the_deck_puts_them(db, leader_client):
    call_command("load_facts", verbosity=0)

    doc = page(leader_client, "/overblik/")

    found = {slug: " ".join(tr.text_content().split()) for slug, tr in rows(doc).items()}
    assert "Vordingborg" in found["dubu"] and "Næstved" in found["dubu"]
    assert "Ingen pilot" in found["dar"]
    assert "Alle på en gang (big bang)" in found["dar"]
    assert "I 3 bølger" in found["valg"]
    assert "klar senest 1. november 2018" in found["bbr"]
    assert "SF1511 (gennemført)" in found["dar"]


@pytest.mark.parametrize("size", [1, 8])
def test_the_overview_runs_a_fixed_number_of_queries(
    size, naestved, kombit, client, django_assert_num_queries
):
    system = SupportSystemFactory()
    for _ in range(size):
        MunicipalityFactory()
        project = ProjectFactory(has_pilot=True)
        project.pilot_municipalities.add(naestved)
        for _ in range(2):
            InterfaceUsageFactory(
                project=project, interface=InterfaceFactory(support_system=system)
            )
            TaskFactory(project=project, support_system=system)
    client.force_login(kombit)

    # These tasks are yellow, so grey matches no project: the project, pilot and interface
    # queries are not run, and the support system's lookup is added.
    with django_assert_num_queries(7):
        response = client.get(f"/overblik/?status=grey&support_system={system.slug}")
    assert response.status_code == 200
    # Session, user, groups, colour counts, projects, pilots, interface usages, filter choices (2).
    with django_assert_num_queries(9):
        response = client.get("/overblik/")
    assert response.status_code == 200


def test_a_blank_status_is_dropped_from_the_url_not_refused(infra, leader_client):
    """A GET form sends its blank fields; the page answers with the same URL without them."""
    response = leader_client.get("/overblik/?status=red&status=&support_system=")

    assert response.status_code == 302 and response["Location"] == "/overblik/?status=red"
