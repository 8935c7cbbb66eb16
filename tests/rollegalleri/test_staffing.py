"""/roller/bemanding/: roles × projects, who holds each cell, and the unstaffed required roles."""

import datetime

import pytest

from rollegalleri.models import ProjectRole, Role
from tests.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tests.filtering import errors_at, marked_fields, says_nothing_is_listed

from .html import page, text


@pytest.fixture
def gallery(db):
    """Two projects, four roles; BBR needs R1, R2 and optionally R3, FLIS needs R1 and R4."""
    bbr = ProjectFactory(short_name="BBR", slug="bbr")
    flis = ProjectFactory(short_name="FLIS", slug="flis")
    r1 = RoleFactory(name="Projektleder", slug="projektleder", category=Role.Category.PROJECT)
    r2 = RoleFactory(name="Tekniker", slug="tekniker", category=Role.Category.TECHNICAL)
    r3 = RoleFactory(name="Superbruger", slug="superbruger", category=Role.Category.ORGANISATIONAL)
    r4 = RoleFactory(name="Systemejer", slug="systemejer", category=Role.Category.ORGANISATIONAL)
    ProjectRoleFactory(project=bbr, role=r1)
    ProjectRoleFactory(project=bbr, role=r2)
    ProjectRoleFactory(project=bbr, role=r3, required=False)
    ProjectRoleFactory(project=flis, role=r1)
    ProjectRoleFactory(project=flis, role=r4)
    return {"bbr": bbr, "flis": flis, "r1": r1, "r2": r2, "r3": r3, "r4": r4}


def cells(response):
    """{(role slug, project slug): cell element} of the matrix."""
    html = page(response)
    return {
        (row.get("data-role"), cell.get("data-project")): cell
        for row in html.xpath("//table[contains(@class, 'rollegalleri-matrix')]//tr[@data-role]")
        for cell in row.xpath("td[@data-project]")
    }


def unstaffed(response):
    return {key for key, cell in cells(response).items() if "Ubesat" in text(cell)}


def test_the_matrix_marks_exactly_the_required_roles_without_holders(
    leader_client, leader, other_leader, gallery
):
    naestved = leader.municipality
    # R1 held for BBR only; R4 held across projects; R2 held only by people who don't count.
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved), role=gallery["r1"], project=gallery["bbr"]
    )
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=gallery["r4"])
    RoleAssignmentFactory(
        person=PersonFactory(municipality=other_leader.municipality), role=gallery["r2"]
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved, retired_on=datetime.date(2026, 2, 1)),
        role=gallery["r2"],
        ended_on=datetime.date(2026, 2, 1),
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved),
        role=gallery["r2"],
        ended_on=datetime.date(2026, 3, 1),
    )

    response = leader_client.get("/roller/bemanding/")

    assert unstaffed(response) == {("tekniker", "bbr"), ("projektleder", "flis")}
    # The optional role nobody holds is not a risk, and the page counts as the dashboard does.
    assert "Valgfri" in text(cells(response)["superbruger", "bbr"])
    assert ProjectRole.objects.unstaffed_for(naestved).count() == 2
    assert page(response).xpath("//*[@data-risk-count]")[0].get("data-risk-count") == "2"
    dashboard = page(leader_client.get("/"))
    assert dashboard.xpath("//*[@data-unstaffed-count]")[0].get("data-unstaffed-count") == "2"


def test_the_ubesat_mark_is_a_word_and_an_icon_not_colour_alone(leader_client, gallery):
    cell = cells(leader_client.get("/roller/bemanding/"))["tekniker", "bbr"]
    mark = cell.xpath(".//*[contains(@class, 'rollegalleri-unstaffed')]")[0]
    assert "Ubesat" in text(mark)
    assert mark.xpath(".//*[@aria-hidden='true']")


def test_a_role_shared_by_two_persons_and_a_person_with_two_roles_both_show(
    leader_client, leader, gallery
):
    naestved = leader.municipality
    ane = PersonFactory(municipality=naestved, name="Ane Andersen")
    bo = PersonFactory(municipality=naestved, name="Bo Bech")
    RoleAssignmentFactory(person=ane, role=gallery["r1"], project=gallery["bbr"])
    RoleAssignmentFactory(person=bo, role=gallery["r1"])
    RoleAssignmentFactory(person=ane, role=gallery["r2"], project=gallery["bbr"])

    shown = {
        key: text(cell) for key, cell in cells(leader_client.get("/roller/bemanding/")).items()
    }

    assert "Ane Andersen" in shown["projektleder", "bbr"]
    assert "Bo Bech (alle)" in shown["projektleder", "bbr"]
    assert "Ane Andersen" in shown["tekniker", "bbr"]
    assert "Bo Bech" in shown["projektleder", "flis"]
    assert "Ane Andersen" not in shown["projektleder", "flis"]


def test_a_person_holding_a_role_twice_is_named_once(leader_client, leader, gallery):
    ane = PersonFactory(municipality=leader.municipality, name="Ane Andersen")
    RoleAssignmentFactory(person=ane, role=gallery["r1"], project=gallery["bbr"])
    RoleAssignmentFactory(person=ane, role=gallery["r1"])
    cell = cells(leader_client.get("/roller/bemanding/"))["projektleder", "bbr"]
    assert text(cell).count("Ane Andersen") == 1


def test_roles_are_grouped_by_category_in_danish(leader_client, gallery):
    html = page(leader_client.get("/roller/bemanding/"))
    groups = [text(th) for th in html.xpath("//tr[@class='rollegalleri-matrix-category']/th")]
    assert groups == ["Organisatoriske roller", "Projekt/program", "Tekniske roller"]


def test_the_project_filter_keeps_that_projects_columns(leader_client, gallery):
    shown = cells(leader_client.get("/roller/bemanding/?project=flis"))
    assert {project for _, project in shown} == {"flis"}
    assert {role for role, _ in shown} == {"projektleder", "systemejer"}


def test_the_category_filter_keeps_that_categorys_rows(leader_client, gallery):
    shown = cells(leader_client.get("/roller/bemanding/?category=technical"))
    assert set(shown) == {("tekniker", "bbr")}


def test_only_unstaffed_keeps_rows_and_columns_with_a_risk(leader_client, leader, gallery):
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality), role=gallery["r1"]
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality), role=gallery["r4"]
    )
    response = leader_client.get("/roller/bemanding/?unstaffed=on")
    assert {role for role, _ in cells(response)} == {"tekniker"}
    assert unstaffed(response) == {("tekniker", "bbr")}


# Issue 8: a bad value used to give one generic message and an unfiltered matrix; now it is
# shown at its field and the matrix is empty until it is corrected.
@pytest.mark.parametrize(
    "query, field",
    [
        ("project=nope", "project"),
        ("category=x", "category"),
        ("project=bbr&project=%00", "project"),
        ("category=technical&project=nope", "project"),
    ],
)
def test_a_bad_filter_is_shown_at_its_field_and_the_matrix_is_empty(
    leader_client, gallery, query, field
):
    response = leader_client.get(f"/roller/bemanding/?{query}")
    assert cells(response) == {}
    assert marked_fields(response) == [field]
    assert errors_at(response, field)
    assert says_nothing_is_listed(response)


def test_a_checkbox_value_is_never_bad(leader_client, gallery):
    assert cells(leader_client.get("/roller/bemanding/?unstaffed=maybe"))


def test_a_municipal_user_asking_for_another_municipality_gets_404(
    leader_client, other_leader, gallery
):
    assert leader_client.get("/roller/bemanding/?municipality=223").status_code == 404
    assert leader_client.get("/roller/bemanding/?municipality=370").status_code == 200


def test_kombit_staff_see_how_many_municipalities_leave_each_required_role_unstaffed(
    kombit_client, leader, other_leader, gallery
):
    MunicipalityFactory(code="101", name="København")
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality),
        role=gallery["r1"],
        project=gallery["bbr"],
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=other_leader.municipality), role=gallery["r1"]
    )
    shown = cells(kombit_client.get("/roller/bemanding/"))
    counts = {key: cell.get("data-unstaffed-municipalities") for key, cell in shown.items()}
    assert counts == {
        ("projektleder", "bbr"): "1",
        ("projektleder", "flis"): "2",
        ("tekniker", "bbr"): "3",
        ("systemejer", "flis"): "3",
        ("superbruger", "bbr"): None,
    }


def test_kombit_staff_choose_a_municipality_and_see_its_matrix_read_only(
    kombit_client, leader, gallery
):
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality, name="Ane"), role=gallery["r2"]
    )
    response = kombit_client.get("/roller/bemanding/?municipality=370")
    html = page(response)
    assert "Bemanding i Næstved" in text(html)
    assert "Ane" in text(cells(response)["tekniker", "bbr"])
    assert not html.xpath("//main//form[@method='post']")
    assert not html.xpath("//a[contains(@href, '/roller/personer/ny/')]")


@pytest.mark.parametrize("code", ["999", "%00", "abc", "3700"])
def test_kombit_staff_naming_an_unknown_municipality_see_it_at_the_field_and_no_matrix(
    kombit_client, gallery, code
):
    response = kombit_client.get(f"/roller/bemanding/?municipality={code}")
    [error] = errors_at(response, "municipality")
    assert "Der findes ingen kommune med koden" in error
    assert cells(response) == {}


@pytest.mark.parametrize("code", ["999", "abc", "370&municipality=223"])
def test_a_municipal_user_naming_any_code_but_their_own_gets_404(leader_client, gallery, code):
    assert leader_client.get(f"/roller/bemanding/?municipality={code}").status_code == 404


def make_staffing(municipality, size):
    """`size` projects × 3 roles, each cell held by two persons, one across projects."""
    roles = [RoleFactory(category=c) for c in Role.Category.values]
    for _ in range(size):
        project = ProjectFactory()
        for role in roles:
            ProjectRoleFactory(project=project, role=role)
            RoleAssignmentFactory(
                person=PersonFactory(municipality=municipality), role=role, project=project
            )
    for role in roles:
        RoleAssignmentFactory(person=PersonFactory(municipality=municipality), role=role)


@pytest.mark.parametrize("size", [2, 20])
def test_the_matrix_runs_a_fixed_number_of_queries(
    leader_client, leader, django_assert_num_queries, size
):
    make_staffing(leader.municipality, size)
    # Session, user, groups, permissions (2), project roles, assignments, project choices.
    with django_assert_num_queries(8):
        assert leader_client.get("/roller/bemanding/").status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_the_national_summary_runs_a_fixed_number_of_queries(
    kombit_client, django_assert_num_queries, size
):
    for _ in range(size // 2):
        make_staffing(MunicipalityFactory(), 2)
    with django_assert_num_queries(7):
        assert kombit_client.get("/roller/bemanding/").status_code == 200
