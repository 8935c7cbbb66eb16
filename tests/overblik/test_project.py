"""`/projekter/<slug>/`: facts, interfaces, KLIK tasks with counts, roles and events."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from klik.models import State
from portfolio.models import Project
from tests.factories import (
    EventFactory,
    InterfaceUsageFactory,
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
    TaskFactory,
    municipality_task,
)
from tests.overblik.test_support_system import has_class, page

DAY = datetime.timedelta(days=1)


@pytest.fixture
def valg(naestved):
    project = ProjectFactory(
        slug="valg",
        short_name="Valg",
        name="Administrativt valgsystem",
        has_pilot=True,
        rollout=Project.Rollout.WAVES,
        rollout_waves=3,
    )
    project.pilot_municipalities.add(MunicipalityFactory(code="101", name="København"))
    return project


def test_the_project_page_shows_its_facts(valg, leader_client):
    doc = page(leader_client, "/projekter/valg/")

    text = " ".join(doc.text_content().split())
    assert "Administrativt valgsystem" in text
    assert "Pilot: København" in text
    assert "I 3 bølger" in text


def test_the_project_page_lists_the_interfaces_it_uses_with_state(valg, leader_client):
    InterfaceUsageFactory(project=valg, interface__code="SF1512", planned_year=2019)

    doc = page(leader_client, "/projekter/valg/")

    row = doc.xpath("//tr[@data-interface='SF1512']")[0]
    assert "2019" in row.text_content()
    assert row.xpath(".//a")[0].get("href") == "/snitflader/SF1512/"


def test_the_klik_counts_link_to_the_list_for_the_project(valg, naestved, leader_client):
    mt = municipality_task(naestved, project=valg, published_on=timezone.localdate() - DAY)
    mt.state = State.BLOCKED
    mt.save()
    municipality_task(naestved, project=valg, published_on=timezone.localdate() - DAY)

    doc = page(leader_client, "/projekter/valg/")

    counts = {
        a.get("data-colour"): a
        for a in doc.xpath(f"//ul[{has_class('colour-links')}]/li/a")
        if a.xpath("ancestor::table") == []
    }
    assert counts["red"].get("data-count") == "1"
    assert counts["yellow"].get("data-count") == "1"
    assert parse_qs(urlsplit(counts["red"].get("href")).query) == {
        "status": ["red"],
        "project": ["valg"],
    }
    assert doc.xpath(f'//a[@href="/klik/{mt.pk}/"]')
    assert doc.xpath('//a[@href="/klik/?project=valg"]')


def test_the_project_page_counts_only_the_users_municipality(
    valg, naestved, hoersholm, leader_client
):
    mt = municipality_task(hoersholm, project=valg)

    doc = page(leader_client, "/projekter/valg/")

    assert not doc.xpath(f'//a[@href="/klik/{mt.pk}/"]')
    own = mt.task.municipality_tasks.get(municipality=naestved)
    assert doc.xpath(f'//a[@href="/klik/{own.pk}/"]')


def test_required_roles_nobody_holds_are_flagged_as_a_risk(valg, naestved, leader_client):
    held = ProjectRoleFactory(project=valg, role=RoleFactory(slug="projektleder"))
    ProjectRoleFactory(project=valg, role=RoleFactory(slug="rolleadministrator"))
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=held.role)

    doc = page(leader_client, "/projekter/valg/")

    held_item = doc.xpath("//li[@data-role='projektleder']")[0]
    risk_item = doc.xpath("//li[@data-role='rolleadministrator']")[0]
    assert "risiko" not in held_item.text_content()
    assert "risiko" in risk_item.text_content()
    assert risk_item.xpath(".//a")[0].get("href") == "/roller/rolleadministrator/"


def test_the_project_page_lists_its_events(valg, leader_client):
    EventFactory(project=valg, title="Webinar om Valg")

    doc = page(leader_client, "/projekter/valg/")

    assert "Webinar om Valg" in doc.text_content()


def test_an_empty_project_says_what_is_missing(leader_client):
    ProjectFactory(slug="tom")

    text = page(leader_client, "/projekter/tom/").text_content()

    assert "Der er endnu ikke publiceret KLIK-opgaver" in text
    assert "Projektet bruger ingen registrerede snitflader" in text


def test_an_unknown_project_is_404(leader_client):
    assert leader_client.get("/projekter/findes-ikke/").status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_the_project_page_runs_a_fixed_number_of_queries(
    size, valg, naestved, leader_client, django_assert_num_queries
):
    for _ in range(size):
        MunicipalityFactory()
        InterfaceUsageFactory(project=valg)
        TaskFactory(project=valg)
        ProjectRoleFactory(project=valg)
        EventFactory(project=valg)
        valg.pilot_municipalities.add(MunicipalityFactory())
        role = ProjectRoleFactory(project=valg).role
        RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=role, project=valg)

    # 10: the project's trend chart (issue 14) adds one aggregate query; 11: the role holders
    # (issue 13), one query for every role; 12: the interfaces the project's KLIK tasks name
    # without a registered usage (issue 13).
    with django_assert_num_queries(12):
        response = leader_client.get("/projekter/valg/")
    assert response.status_code == 200


@pytest.fixture
def held(valg, naestved, hoersholm):
    """Two required roles of Valg: Næstved's Ida holds one for Valg (primary), Bo holds it across
    projects; Hørsholm's Hanne holds the other. Næstved's second role is unstaffed."""
    tekniker = ProjectRoleFactory(project=valg, required=True, role=RoleFactory(name="Tekniker"))
    leder = ProjectRoleFactory(project=valg, required=True, role=RoleFactory(name="Fagleder"))
    ida = PersonFactory(municipality=naestved, name="Ida Holm")
    bo = PersonFactory(municipality=naestved, name="Bo Berg")
    hanne = PersonFactory(municipality=hoersholm, name="Hanne Hørsholm")
    RoleAssignmentFactory(person=ida, role=tekniker.role, project=valg, primary=True)
    RoleAssignmentFactory(person=bo, role=tekniker.role, project=None)
    RoleAssignmentFactory(person=hanne, role=leder.role, project=valg)
    # Ida also holds it across projects: she is named once.
    RoleAssignmentFactory(person=ida, role=tekniker.role, project=None)
    return tekniker, leder


def test_the_project_page_names_who_holds_each_role_in_the_municipality(held, leader_client):
    tekniker, leder = held
    doc = page(leader_client, "/projekter/valg/")

    holders = doc.xpath(f"//li[@data-role='{tekniker.role.slug}']//*[@data-holders]")[0]
    assert [a.text_content() for a in holders.xpath(".//a")] == ["Ida Holm", "Bo Berg"]
    assert "(primær)" in holders.text_content() and "(alle projekter)" in holders.text_content()
    other = doc.xpath(f"//li[@data-role='{leder.role.slug}']")[0].text_content()
    assert "Hanne" not in other and "Ingen har rollen" in other


def test_kombit_staff_see_in_how_many_municipalities_each_role_is_held(held, kombit_client):
    tekniker, leder = held
    doc = page(kombit_client, "/projekter/valg/")

    for project_role, n in [(tekniker, "1"), (leder, "1")]:
        [count] = doc.xpath(
            f"//li[@data-role='{project_role.role.slug}']//*[@data-staffed-municipalities]"
        )
        assert count.get("data-staffed-municipalities") == n
    assert "Ida Holm" not in doc.text_content()
