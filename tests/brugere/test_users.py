"""Issue 15: /brugere/ — a municipality's KLIK-administrator manages its own logins."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from brugere.services import NOT_YOURSELF, Role, user_create
from klik.models import MunicipalityTask, MunicipalityTaskChange, State
from klik.services import municipality_task_update
from portfolio.models import User
from tests.factories import (
    KlikAdministratorFactory,
    PersonFactory,
    ProjectLeaderFactory,
    ReaderFactory,
    TaskFactory,
    UserFactory,
)


@pytest.fixture
def administrator(naestved):
    return KlikAdministratorFactory(
        username="admin-naestved", municipality=naestved, email="admin@naestved.dk"
    )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def new_user(**overrides):
    return {
        "username": "pia",
        "first_name": "Pia",
        "last_name": "Projekt",
        "email": "pia@naestved.dk",
        "role": Role.PROJECT_LEADER,
        "person": "",
        **overrides,
    }


def edit_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": Role.PROJECT_LEADER,
        "person": "",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_creates_a_project_leader_who_edits_tasks_but_not_persons(
    admin_client, naestved, administrator
):
    person = PersonFactory(municipality=naestved, name="Pia Projekt")
    response = admin_client.post("/brugere/ny/", new_user(person=person.pk))
    pia = User.objects.get(username="pia")
    assert response.status_code == 302 and response.url == f"/brugere/{pia.pk}/"
    assert pia.municipality == naestved and not pia.has_usable_password()
    assert [g.name for g in pia.groups.all()] == [settings.PROJECT_LEADER_GROUP]
    person.refresh_from_db()
    assert person.user == pia

    copy = MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)
    client = Client()
    client.force_login(pia)
    saved = client.post(
        copy.get_absolute_url(),
        {
            "version": copy.version,
            "state": State.IN_PROGRESS,
            "note": "",
            "responsible": "",
            "executor": "",
        },
    )
    assert saved.status_code == 302
    assert MunicipalityTask.objects.get(pk=copy.pk).state == State.IN_PROGRESS
    assert client.get("/roller/personer/ny/").status_code == 403
    assert client.get(f"/roller/personer/{person.pk}/rediger/").status_code == 403
    assert client.get("/brugere/").status_code == 403


def test_the_password_link_lets_the_new_user_set_a_password_and_log_in(admin_client, administrator):
    user = user_create(by=administrator, username="pia", email="pia@naestved.dk", role=Role.READER)
    response = admin_client.post(f"/brugere/{user.pk}/send-link/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pia@naestved.dk"]
    assert mail.outbox[0].subject == "Vælg din adgangskode til KOMBIT-programlederens overblik"
    assert "Dit brugernavn er pia." in mail.outbox[0].body
    link = re.search(r"http://testserver(/accounts/adgangskode/\S+/)", mail.outbox[0].body)[1]
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Rødgrød-med-fløde-17", "new_password2": "Rødgrød-med-fløde-17"},
    )
    assert done.status_code == 302
    assert logs_in(client, "pia", "Rødgrød-med-fløde-17")


def logs_in(client, username, password):
    """Whether the login page lets `username` in (through axes, as a browser would)."""
    client.post("/accounts/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_a_reader_only_reads(client, naestved):
    reader = ReaderFactory(municipality=naestved)
    copy = MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)
    client.force_login(reader)
    page = client.get(copy.get_absolute_url())
    assert page.status_code == 200 and page.context.get("form") is None
    assert client.post(copy.get_absolute_url(), {"version": 0, "state": "done"}).status_code == 403
    assert client.get("/klik/ny/").status_code == 403
    assert client.get("/roller/personer/ny/").status_code == 403


def test_deactivating_keeps_the_login_and_its_history(admin_client, naestved, administrator):
    pia = ProjectLeaderFactory(username="pia", municipality=naestved, email="pia@naestved.dk")
    copy = MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)
    municipality_task_update(municipality_task=copy, user=pia, data={"note": "x"}, version=0)
    client = Client()
    client.force_login(pia)
    response = admin_client.post(f"/brugere/{pia.pk}/", edit_data(pia, is_active=None))
    assert response.status_code == 302
    pia.refresh_from_db()
    assert not pia.is_active
    assert MunicipalityTaskChange.objects.get(municipality_task=copy).changed_by == pia
    assert client.get("/").status_code == 302  # the open session ends
    assert not logs_in(Client(), "pia", "pw")
    listed = admin_client.get("/brugere/?active=no").content.decode()
    assert "pia" in listed


def test_nobody_acts_on_another_municipalitys_users(admin_client, other_leader, hoersholm):
    for url in (f"/brugere/{other_leader.pk}/", f"/brugere/{other_leader.pk}/send-link/"):
        assert admin_client.get(url).status_code in (404, 405)
        assert admin_client.post(url, edit_data(other_leader)).status_code == 404
    assert "hoersholm" not in admin_client.get("/brugere/").content.decode()
    other_leader.refresh_from_db()
    assert other_leader.is_active and not mail.outbox


def test_a_person_of_another_municipality_cannot_be_linked(admin_client, hoersholm):
    # As everywhere (issue 8): another municipality's object named in a form is a 404.
    stranger = PersonFactory(municipality=hoersholm)
    response = admin_client.post("/brugere/ny/", new_user(person=stranger.pk))
    assert response.status_code == 404
    assert not User.objects.filter(username="pia").exists()


def test_a_person_linked_to_another_login_is_not_offered(admin_client, naestved, administrator):
    taken = PersonFactory(municipality=naestved, name="Taget", user=administrator)
    free = PersonFactory(municipality=naestved, name="Fri")
    choices = list(admin_client.get("/brugere/ny/").context["form"].fields["person"].queryset)
    assert free in choices and taken not in choices


def test_an_administrator_cannot_lock_themselves_out(admin_client, administrator):
    response = admin_client.post(
        f"/brugere/{administrator.pk}/",
        edit_data(administrator, role=Role.PROGRAMME_LEADER, is_administrator=None),
    )
    assert response.status_code == 200, response.context["form"].errors
    assert str(NOT_YOURSELF) in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.groups.filter(name=settings.KLIK_ADMIN_GROUP).exists()


def test_an_administrator_makes_another_administrator(admin_client, naestved):
    pia = ProjectLeaderFactory(username="pia", municipality=naestved, email="pia@naestved.dk")
    admin_client.post(f"/brugere/{pia.pk}/", edit_data(pia, is_administrator="on"))
    assert set(pia.groups.values_list("name", flat=True)) == {
        settings.PROJECT_LEADER_GROUP,
        settings.KLIK_ADMIN_GROUP,
    }


def test_the_username_cannot_be_taken_twice(admin_client, naestved):
    UserFactory(username="pia", municipality=naestved)
    response = admin_client.post("/brugere/ny/", new_user())
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"admin-naestved", "pia", "rita", "gammel"}),
        ("?q=Projekt", {"pia"}),
        ("?role=reader", {"rita", "gammel"}),
        ("?role=programme_leader", {"admin-naestved"}),
        ("?active=no", {"gammel"}),
        ("?active=yes&role=project_leader", {"pia"}),
    ],
)
def test_the_list_filters_by_name_role_and_active(admin_client, naestved, query, expected):
    ProjectLeaderFactory(username="pia", last_name="Projekt", municipality=naestved)
    ReaderFactory(username="rita", municipality=naestved)
    ReaderFactory(username="gammel", municipality=naestved, is_active=False)
    response = admin_client.get(f"/brugere/{query}")
    assert {row.record.username for row in response.context["table"].rows} == expected


def test_a_bad_filter_value_lists_nobody_and_says_why(admin_client):
    response = admin_client.get("/brugere/?role=emperor")
    assert response.status_code == 200
    assert list(response.context["table"].rows) == []
    assert "role" in response.context["filter"].errors


def test_the_list_runs_a_fixed_number_of_queries(admin_client, naestved, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/brugere/").status_code == 200
        return len(queries)

    ReaderFactory(municipality=naestved)
    few = count()
    for n in range(15):
        ReaderFactory(municipality=naestved, username=f"r{n}")
        PersonFactory(municipality=naestved, user=User.objects.get(username=f"r{n}"))
    assert count() == few


def test_the_groups_carry_the_roles_permissions(db):
    project = Group.objects.get(name=settings.PROJECT_LEADER_GROUP)
    reader = Group.objects.get(name=settings.READER_GROUP)
    project_perms = set(project.permissions.values_list("codename", flat=True))
    assert "change_municipalitytask" in project_perms
    assert not {"add_person", "change_person", "add_roleassignment"} & project_perms
    assert all(
        code.startswith("view_") for code in reader.permissions.values_list("codename", flat=True)
    )


# Who reaches what: each role against the new pages (status of a GET).
ACCESS = {
    "administrator": {"/brugere/": 200, "/brugere/ny/": 200, "/klik/ny/": 200},
    "programme_leader": {"/brugere/": 403, "/brugere/ny/": 403, "/klik/ny/": 200},
    "project_leader": {"/brugere/": 403, "/brugere/ny/": 403, "/klik/ny/": 200},
    "reader": {"/brugere/": 403, "/brugere/ny/": 403, "/klik/ny/": 403},
    "kombit": {"/brugere/": 403, "/brugere/ny/": 403, "/klik/ny/": 403},
}


@pytest.mark.parametrize("role", ACCESS)
def test_the_access_matrix(client, naestved, kombit, role):
    from tests.factories import ProgrammeLeaderFactory

    user = {
        "administrator": lambda: KlikAdministratorFactory(municipality=naestved),
        "programme_leader": lambda: ProgrammeLeaderFactory(municipality=naestved),
        "project_leader": lambda: ProjectLeaderFactory(municipality=naestved),
        "reader": lambda: ReaderFactory(municipality=naestved),
        "kombit": lambda: kombit,
    }[role]()
    client.force_login(user)
    assert {url: client.get(url).status_code for url in ACCESS[role]} == ACCESS[role]
    menu = client.get("/klik/").content.decode()
    assert ('href="/brugere/"' in menu) == (role == "administrator")
