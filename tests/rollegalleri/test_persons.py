"""/roller/personer/...: a programme leader manages persons and their roles; nobody else does."""

import datetime

import pytest
from django.test import Client

from klik.models import State
from portfolio.validators import FORBIDDEN_CHARACTER
from rollegalleri.models import Person, RoleAssignment
from rollegalleri.services import ASSIGNMENT_DUPLICATE, ASSIGNMENT_DUPLICATE_ACROSS
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
    municipality_task,
)
from tests.filtering import errors_at, marked_fields, says_nothing_is_listed

from .html import page, text


@pytest.fixture
def ane(leader):
    return PersonFactory(municipality=leader.municipality, name="Ane Andersen")


@pytest.fixture
def stranger(other_leader):
    """A person of Hørsholm."""
    return PersonFactory(municipality=other_leader.municipality, name="Hans Hørsholm")


def test_a_programme_leader_adds_a_person_to_their_municipality(leader_client, leader):
    response = leader_client.post(
        "/roller/personer/ny/",
        {
            "name": "Ane Andersen",
            "email": "ane@naestved.dk",
            "job_title": "Projektleder",
            "department": "Digitalisering",
        },
    )
    person = Person.objects.get(name="Ane Andersen")
    assert response.status_code == 302
    assert response["Location"] == f"/roller/personer/{person.pk}/"
    assert person.municipality == leader.municipality
    assert "Ane Andersen er tilføjet." in text(page(leader_client.get(response["Location"])))
    listing = text(page(leader_client.get("/roller/personer/")))
    assert "Ane Andersen" in listing and "Digitalisering" in listing


def test_a_person_needs_a_name_and_a_valid_email(leader_client):
    response = leader_client.post("/roller/personer/ny/", {"name": "", "email": "ikke-en-mail"})
    html = page(response)
    assert len(html.xpath("//*[contains(@class, 'form-error-message')]")) == 2
    assert not Person.objects.exists()


def test_a_second_person_with_the_same_email_is_refused_with_a_message(leader_client, ane):
    response = leader_client.post("/roller/personer/ny/", {"name": "Anden", "email": ane.email})
    assert "Der findes allerede en person med denne e-mail." in text(page(response))
    assert Person.objects.count() == 1


def test_a_programme_leader_edits_a_person(leader_client, ane):
    response = leader_client.post(
        f"/roller/personer/{ane.pk}/rediger/",
        {"name": "Ane B. Andersen", "email": "", "job_title": "Chef", "department": ""},
    )
    assert response.status_code == 302
    ane.refresh_from_db()
    assert (ane.name, ane.job_title) == ("Ane B. Andersen", "Chef")


def test_retiring_a_person_warns_and_lists_their_open_tasks(leader_client, leader, ane):
    naestved = leader.municipality
    open_as_responsible = municipality_task(naestved, title="Klargør TAC liste")
    open_as_responsible.responsible = ane
    open_as_responsible.save()
    open_as_executor = municipality_task(naestved, title="Luk ned for BBRs egen adgangsstyring")
    open_as_executor.executor = ane
    open_as_executor.save()
    solved = municipality_task(naestved, title="Løst opgave")
    solved.executor, solved.state = ane, State.DONE
    solved.save()
    role = RoleFactory()
    RoleAssignmentFactory(person=ane, role=role)

    confirm = text(page(leader_client.get(f"/roller/personer/{ane.pk}/fratraed/")))
    assert "Personen er på 2 åbne KLIK-opgaver" in confirm
    assert "Klargør TAC liste – ansvarlig" in confirm
    assert "Luk ned for BBRs egen adgangsstyring – udfører" in confirm
    assert "Løst opgave" not in confirm

    response = leader_client.post(f"/roller/personer/{ane.pk}/fratraed/", follow=True)
    shown = text(page(response))
    assert "er stadig ansvarlig eller udfører på 2 åbne opgaver" in shown
    assert "Klargør TAC liste" in shown
    ane.refresh_from_db()
    assert ane.retired_on is not None
    # The assignment ended but was kept.
    assignment = RoleAssignment.objects.get(person=ane)
    assert assignment.ended_on == ane.retired_on


def test_a_retired_person_leaves_the_list_unless_asked_for(leader_client, leader):
    PersonFactory(
        municipality=leader.municipality, name="Gammel", retired_on=datetime.date(2026, 1, 2)
    )
    assert "Gammel" not in text(page(leader_client.get("/roller/personer/")))
    assert "Gammel" in text(page(leader_client.get("/roller/personer/?include_retired=on")))


def test_a_programme_leader_assigns_a_role_for_a_project(leader_client, ane):
    role = RoleFactory(name="Tekniker")
    bbr = ProjectFactory(short_name="BBR")
    response = leader_client.post(
        f"/roller/personer/{ane.pk}/tildel/",
        {"role": role.pk, "project": bbr.pk, "started_on": "2026-05-01"},
        follow=True,
    )
    assert "Ane Andersen har nu rollen Tekniker." in text(page(response))
    assignment = RoleAssignment.objects.get()
    assert (assignment.role, assignment.project, assignment.started_on) == (
        role,
        bbr,
        datetime.date(2026, 5, 1),
    )


@pytest.mark.parametrize("for_project", [True, False])
def test_a_duplicate_assignment_is_refused_with_a_message(leader_client, ane, for_project):
    role = RoleFactory()
    project = ProjectFactory() if for_project else None
    RoleAssignmentFactory(person=ane, role=role, project=project)
    response = leader_client.post(
        f"/roller/personer/{ane.pk}/tildel/",
        {"role": role.pk, "project": project.pk if project else "", "started_on": "2026-05-01"},
    )
    expected = ASSIGNMENT_DUPLICATE if for_project else ASSIGNMENT_DUPLICATE_ACROSS
    assert str(expected) in text(page(response))
    assert RoleAssignment.objects.count() == 1


def test_a_leader_marks_the_primary_holder_on_the_assignment_form(leader_client, ane, danish):
    role = RoleFactory(name="Tekniker")
    response = leader_client.post(
        f"/roller/personer/{ane.pk}/tildel/",
        {"role": role.pk, "started_on": "2026-05-01", "primary": "on"},
        follow=True,
    )
    assert RoleAssignment.objects.get().primary is True
    row = page(response).xpath("//tr[@data-assignment]")[0]
    assert "".join(row.xpath(".//td[1]//text()")) == "Tekniker (primær)"


def test_the_assignment_form_preselects_role_and_project_from_the_query(leader_client, ane):
    role = RoleFactory(slug="tekniker")
    bbr = ProjectFactory(slug="bbr")
    html = page(leader_client.get(f"/roller/personer/{ane.pk}/tildel/?role=tekniker&project=bbr"))
    assert html.xpath("//select[@name='role']/option[@selected]")[0].get("value") == str(role.pk)
    assert html.xpath("//select[@name='project']/option[@selected]")[0].get("value") == str(bbr.pk)
    bad = leader_client.get(f"/roller/personer/{ane.pk}/tildel/?role=%00&project=x")
    assert bad.status_code == 200


def test_ending_an_assignment_keeps_it_as_history(leader_client, ane):
    assignment = RoleAssignmentFactory(person=ane, role=RoleFactory(name="Tekniker"))
    response = leader_client.post(
        f"/roller/personer/tildelinger/{assignment.pk}/afslut/", follow=True
    )
    assignment.refresh_from_db()
    assert assignment.ended_on is not None
    html = page(response)
    row = html.xpath(f"//tr[@data-assignment='{assignment.pk}']")[0]
    assert "Tekniker" in text(row)
    assert "Aktuel" not in text(row)
    again = leader_client.post(f"/roller/personer/tildelinger/{assignment.pk}/afslut/", follow=True)
    assert "Tildelingen er allerede afsluttet." in text(page(again))


@pytest.mark.parametrize(
    "path",
    [
        "/roller/personer/{pk}/",
        "/roller/personer/{pk}/rediger/",
        "/roller/personer/{pk}/fratraed/",
        "/roller/personer/{pk}/tildel/",
    ],
)
def test_another_municipalitys_person_answers_404(leader_client, stranger, path):
    assert leader_client.get(path.format(pk=stranger.pk)).status_code == 404
    if "/" in path.removeprefix("/roller/personer/{pk}/"):
        assert leader_client.post(path.format(pk=stranger.pk), {"name": "x"}).status_code == 404


def test_another_municipalitys_person_cannot_be_assigned_or_ended(leader_client, stranger):
    role = RoleFactory()
    response = leader_client.post(
        f"/roller/personer/{stranger.pk}/tildel/", {"role": role.pk, "started_on": "2026-05-01"}
    )
    assert response.status_code == 404
    assignment = RoleAssignmentFactory(person=stranger, role=role)
    assert (
        leader_client.post(f"/roller/personer/tildelinger/{assignment.pk}/afslut/").status_code
        == 404
    )
    assignment.refresh_from_db()
    assert assignment.ended_on is None
    assert RoleAssignment.objects.count() == 1


def test_the_person_list_shows_only_the_own_municipality(leader_client, ane, stranger):
    shown = text(page(leader_client.get("/roller/personer/")))
    assert "Ane Andersen" in shown
    assert "Hans Hørsholm" not in shown


def test_kombit_staff_see_persons_of_all_municipalities_read_only(kombit_client, ane, stranger):
    html = page(kombit_client.get("/roller/personer/"))
    assert "Ane Andersen" in text(html) and "Hans Hørsholm" in text(html)
    assert not html.xpath("//a[contains(@href, '/roller/personer/ny/')]")
    only = text(page(kombit_client.get("/roller/personer/?municipality=223")))
    assert "Hans Hørsholm" in only and "Ane Andersen" not in only
    detail = page(kombit_client.get(f"/roller/personer/{ane.pk}/"))
    assert not detail.xpath("//main//form") and not detail.xpath("//a[contains(@href, 'tildel')]")


@pytest.mark.parametrize("query", ["q=%00", "municipality=%00", "municipality=x", "page=x"])
def test_bad_person_list_queries_never_give_a_500(kombit_client, ane, query):
    assert kombit_client.get(f"/roller/personer/?{query}").status_code in (200, 404)


def listed_names(response):
    """The names the person list shows, in order."""
    assert response.status_code == 200
    return [row.record.name for row in response.context["table"].paginated_rows]


# Issue 8: a bad value used to be shown at its field while every person was still listed.
def test_a_bad_value_is_shown_at_its_field_and_nobody_is_listed(leader_client, ane):
    response = leader_client.get("/roller/personer/?q=An%00e")
    assert listed_names(response) == []
    assert marked_fields(response) == ["q"]
    assert errors_at(response, "q")
    assert says_nothing_is_listed(response)


def test_kombit_staff_naming_an_unknown_municipality_see_it_at_the_field_and_nobody(
    kombit_client, ane, stranger
):
    response = kombit_client.get("/roller/personer/?municipality=999")
    assert listed_names(response) == []
    assert errors_at(response, "municipality") == ["Der findes ingen kommune med koden “999”."]


def test_kombit_staff_pick_a_municipality(kombit_client, ane, stranger):
    assert listed_names(kombit_client.get("/roller/personer/?municipality=370")) == ["Ane Andersen"]


# Issue 8: a municipal user's ?municipality= used to be ignored here.
@pytest.mark.parametrize("code", ["223", "999", "abc", "370&municipality=223"])
def test_a_programme_leader_naming_another_municipality_gets_404(
    leader_client, ane, stranger, code
):
    assert leader_client.get(f"/roller/personer/?municipality={code}").status_code == 404


def test_a_programme_leader_naming_their_own_municipality_sees_the_same_persons(
    leader_client, ane, stranger
):
    response = leader_client.get("/roller/personer/?municipality=370")
    assert listed_names(response) == ["Ane Andersen"]
    assert 'name="municipality"' not in response.content.decode()


def test_kombit_staff_are_refused_every_write(kombit_client, ane):
    assignment = RoleAssignmentFactory(person=ane, role=RoleFactory())
    for path in [
        "/roller/personer/ny/",
        f"/roller/personer/{ane.pk}/rediger/",
        f"/roller/personer/{ane.pk}/fratraed/",
        f"/roller/personer/{ane.pk}/tildel/",
        f"/roller/personer/tildelinger/{assignment.pk}/afslut/",
    ]:
        assert kombit_client.get(path).status_code == 403, path
        assert kombit_client.post(path, {"name": "x"}).status_code == 403, path
    ane.refresh_from_db()
    assignment.refresh_from_db()
    assert ane.retired_on is None and assignment.ended_on is None


def test_every_form_needs_the_csrf_token(leader, ane):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    assignment = RoleAssignmentFactory(person=ane, role=RoleFactory())
    for path in [
        "/roller/personer/ny/",
        f"/roller/personer/{ane.pk}/rediger/",
        f"/roller/personer/{ane.pk}/fratraed/",
        f"/roller/personer/{ane.pk}/tildel/",
        f"/roller/personer/tildelinger/{assignment.pk}/afslut/",
    ]:
        assert client.post(path, {"name": "x"}).status_code == 403, path
        form = page(client.get(path)).xpath("//main//form[@method='post']")[0]
        assert form.xpath(".//input[@name='csrfmiddlewaretoken']"), path


@pytest.mark.parametrize("size", [2, 30])
def test_the_person_list_runs_a_fixed_number_of_queries(
    leader_client, leader, django_assert_num_queries, size
):
    for _ in range(size):
        person = PersonFactory(municipality=leader.municipality)
        RoleAssignmentFactory(person=person, role=RoleFactory(), project=ProjectFactory())
        RoleAssignmentFactory(person=person, role=RoleFactory())
    # One paginator (the table's) counts the rows: 8 queries, whatever the number of persons.
    with django_assert_num_queries(8):
        assert leader_client.get("/roller/personer/").status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_a_person_page_runs_a_fixed_number_of_queries(
    leader_client, leader, ane, django_assert_num_queries, size
):
    for _ in range(size):
        RoleAssignmentFactory(person=ane, role=RoleFactory(), project=ProjectFactory())
        mt = municipality_task(leader.municipality)
        mt.responsible = ane
        mt.save()
    with django_assert_num_queries(8):
        assert leader_client.get(f"/roller/personer/{ane.pk}/").status_code == 200


def test_an_ubesat_cell_leads_to_assigning_the_role_to_an_existing_person(
    leader_client, leader, ane
):
    role = RoleFactory(name="Tekniker", slug="tekniker")
    bbr = ProjectFactory(short_name="BBR", slug="bbr")
    ProjectRoleFactory(project=bbr, role=role)
    matrix = page(leader_client.get("/roller/bemanding/"))
    link = matrix.xpath("//td[@data-unstaffed]//a[contains(@class, 'rollegalleri-assign')]")[0]
    assert link.get("href") == "/roller/personer/?role=tekniker&project=bbr"

    persons = page(leader_client.get(link.get("href")))
    assert "Vælg, hvem der skal have rollen Tekniker i BBR" in text(persons)
    assign = persons.xpath(
        "//a[starts-with(@href, '/roller/personer/') and contains(@href, 'tildel')]"
    )
    assert assign[0].get("href") == f"/roller/personer/{ane.pk}/tildel/?role=tekniker&project=bbr"

    leader_client.post(
        assign[0].get("href"), {"role": role.pk, "project": bbr.pk, "started_on": "2026-05-01"}
    )
    assert RoleAssignment.objects.get().person == ane


def test_a_person_added_from_an_ubesat_cell_goes_on_to_the_assignment(leader_client):
    RoleFactory(slug="tekniker")
    ProjectFactory(slug="bbr")
    response = leader_client.post(
        "/roller/personer/ny/?role=tekniker&project=bbr", {"name": "Ny Person"}
    )
    person = Person.objects.get()
    assert response["Location"] == f"/roller/personer/{person.pk}/tildel/?role=tekniker&project=bbr"


def test_kombit_staff_get_no_assign_links(kombit_client, ane):
    RoleFactory(slug="tekniker")
    ProjectFactory(slug="bbr")
    html = page(kombit_client.get("/roller/personer/?role=tekniker&project=bbr"))
    assert not html.xpath("//a[contains(@href, 'tildel')]")


@pytest.mark.parametrize("size", [2, 30])
def test_the_assignment_form_and_the_find_a_person_list_run_a_fixed_number_of_queries(
    leader_client, leader, ane, django_assert_num_queries, size
):
    for _ in range(size):
        person = PersonFactory(municipality=leader.municipality)
        RoleAssignmentFactory(person=person, role=RoleFactory(), project=ProjectFactory())
    RoleFactory(slug="tekniker")
    ProjectFactory(slug="bbr")
    with django_assert_num_queries(8):
        assert leader_client.get(f"/roller/personer/{ane.pk}/tildel/").status_code == 200
    with django_assert_num_queries(10):
        response = leader_client.get("/roller/personer/?role=tekniker&project=bbr")
        assert response.status_code == 200


@pytest.mark.parametrize("per_page", ["-1", "0", "999999999999"])
def test_the_person_list_with_a_nonsense_per_page_still_lists_the_persons(
    leader_client, naestved, per_page
):
    PersonFactory(municipality=naestved, name="Mette Holm")
    response = leader_client.get("/roller/personer/", {"per_page": per_page})
    assert response.status_code == 200
    assert "Mette Holm" in response.content.decode()


def refused_with_u_ffff(response):
    """The page shows the Danish refusal at the name field."""
    html = page(response)
    errors = [text(e) for e in html.xpath("//*[contains(@class, 'form-error-message')]")]
    return str(FORBIDDEN_CHARACTER) % {"character": "U+FFFF"} in " ".join(errors)


def test_the_person_form_refuses_u_ffff_in_a_name_and_saves_nothing(leader_client, danish):
    response = leader_client.post("/roller/personer/ny/", {"name": "Ane\uffff", "email": ""})
    assert refused_with_u_ffff(response)
    assert not Person.objects.exists()


def test_editing_a_person_refuses_u_ffff_in_a_name_and_changes_nothing(leader_client, ane, danish):
    response = leader_client.post(
        f"/roller/personer/{ane.pk}/rediger/", {"name": "Ane\uffff Andersen", "email": ""}
    )
    assert refused_with_u_ffff(response)
    ane.refresh_from_db()
    assert ane.name == "Ane Andersen"


def test_the_person_list_marks_the_sorted_header_with_aria_sort(leader_client, naestved):
    PersonFactory(municipality=naestved, name="Ane")
    html = page(leader_client.get("/roller/personer/"))
    sorted_headers = html.xpath("//th[@aria-sort]")
    assert [(text(th), th.get("aria-sort")) for th in sorted_headers] == [("Navn ▲", "ascending")]
    html = page(leader_client.get("/roller/personer/?sort=-name"))
    assert [th.get("aria-sort") for th in html.xpath("//th[@aria-sort]")] == ["descending"]
    assert html.xpath("//th/a[@class='table-sort']")


def test_the_person_list_pages_with_dkfds_pagination(leader_client, naestved):
    PersonFactory.create_batch(5, municipality=naestved)
    html = page(leader_client.get("/roller/personer/?per_page=2"))
    assert len(html.xpath("//tbody/tr")) == 2
    nav = html.xpath("//nav[contains(@class, 'table-pagination')]")[0]
    assert text(nav.xpath(".//a[@aria-current='page']")[0]) == "1"
    assert not nav.xpath(".//a[contains(@class, 'button-previous')]")
    assert "page=2" in nav.xpath(".//a[contains(@class, 'button-next')]")[0].get("href")
    assert [text(li) for li in nav.xpath(".//li[contains(@class, 'pagination-item')]")] == [
        "1",
        "2",
        "3",
    ]
