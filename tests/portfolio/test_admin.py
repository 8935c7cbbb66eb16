"""Django admin as KOMBIT's admins use it: every page opens, the user admin knows municipalities."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from klik.models import MunicipalityTaskChange
from notifikationer.models import CalendarFeed, ColourCount, MailPreference, Notice, OutgoingMail
from portfolio.models import InterfaceUsage, Material, Project, User
from tests.factories import (
    EventFactory,
    InterfaceUsageFactory,
    PersonFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    municipality_task,
)

# The project's own admin pages; django-tasks-db's read-only queue admin is tested on its own.
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label != "django_tasks_database"),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label for model in MODELS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def catalogue(naestved, hoersholm, leader):
    """One row of every model the admin shows, linked the way real data is."""
    usage = InterfaceUsageFactory()
    Material.objects.create(
        support_system=usage.interface.support_system, title="Vejledning", url="https://x.dk/v"
    )
    EventFactory(project=usage.project, support_system=usage.interface.support_system)
    project_role = ProjectRoleFactory(project=usage.project)
    person = PersonFactory(municipality=naestved)
    RoleAssignmentFactory(person=person, role=project_role.role, project=usage.project)
    mt = municipality_task(naestved, project=usage.project, deadline=datetime.date(2026, 9, 1))
    mt.responsible = person
    mt.save()
    MunicipalityTaskChange.objects.create(
        municipality_task=mt, changed_by=leader, field="state", old_value="", new_value="done"
    )
    MailPreference.objects.create(email="leder@naestved.dk")
    mail = OutgoingMail.objects.create(
        recipient="leder@naestved.dk",
        municipality=naestved,
        topic="tasks",
        subject="KLIK – Næstved: 1 opgave til dig",
        body_text="Kære leder",
        body_html="<p>Kære leder</p>",
        unsubscribe_url="https://kombitpl.example.org/notifikationer/afmeld/x/",
    )
    Notice.objects.create(
        mail=mail, recipient=mail.recipient, kind="assigned", object_key=f"mt:{mt.pk}", period="1"
    )
    CalendarFeed.objects.create(user=leader)
    ColourCount.objects.create(
        day=datetime.date(2026, 9, 1), municipality=naestved, project=usage.project, red=1
    )


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_admin_changelist_opens_for_the_superuser(admin_client, catalogue, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_admin_changelist_search_opens_for_the_superuser(admin_client, catalogue, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "Næstved 370"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_admin_add_page_opens_for_the_superuser(admin_client, catalogue, model):
    # Recorded history, sent mail and secret feed tokens are never made by hand.
    expected = 403 if model in (MunicipalityTaskChange, OutgoingMail, CalendarFeed) else 200
    assert admin_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_admin_change_page_opens_for_the_superuser(admin_client, catalogue, model):
    obj = model._default_manager.order_by("pk").first()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


def test_the_background_job_queue_opens_read_only_for_the_superuser(admin_client):
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/add/").status_code == 403


def test_task_history_is_read_only_in_the_admin(admin_client, catalogue):
    change = MunicipalityTaskChange.objects.get()
    url = admin_url(MunicipalityTaskChange, "change", change.pk)
    admin_client.post(url, {"field": "note", "old_value": "x", "new_value": "y"})
    change.refresh_from_db()
    assert (change.field, change.new_value) == ("state", "done")
    assert admin_client.get(admin_url(MunicipalityTaskChange, "delete", change.pk)).status_code == (
        403
    )


def test_admin_header_is_in_danish(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "KOMBIT-programleder – administration" in response.content.decode()


def test_user_admin_shows_and_filters_by_municipality(admin_client, leader, other_leader):
    url = admin_url(User, "changelist")
    response = admin_client.get(url, {"municipality__id__exact": leader.municipality_id})
    usernames = [user.username for user in response.context["cl"].result_list]
    assert usernames == ["naestved"]
    assert "Næstved" in response.content.decode()


def test_user_admin_sets_a_users_municipality(admin_client, leader, hoersholm):
    data = {
        "username": "naestved",
        "first_name": "",
        "last_name": "",
        "email": "",
        "municipality": hoersholm.pk,
        "is_active": "on",
        "groups": list(leader.groups.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = admin_client.post(admin_url(User, "change", leader.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    leader.refresh_from_db()
    assert leader.municipality == hoersholm


def test_user_admin_adds_a_user_with_a_municipality(admin_client, naestved):
    data = {
        "username": "ny",
        "password1": "en-lang-adgangskode-42",
        "password2": "en-lang-adgangskode-42",
        "usable_password": "true",
        "municipality": naestved.pk,
    }
    response = admin_client.post(admin_url(User, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="ny").municipality == naestved


def test_an_interface_the_project_already_uses_is_refused_on_the_project_form(admin_client, danish):
    usage = InterfaceUsageFactory()
    project = usage.project
    data = {
        "short_name": project.short_name,
        "name": project.name,
        "slug": project.slug,
        "phase": project.phase,
        "rollout": project.rollout,
        "usages-TOTAL_FORMS": "1",
        "usages-INITIAL_FORMS": "0",
        "usages-0-interface": usage.interface.pk,
        "usages-0-state": "new",
        "project_roles-TOTAL_FORMS": "0",
        "project_roles-INITIAL_FORMS": "0",
    }
    response = admin_client.post(admin_url(Project, "change", project.pk), data)
    assert response.status_code == 200
    assert "Projektet bruger allerede denne snitflade." in response.content.decode()
    assert InterfaceUsage.objects.count() == 1


def test_a_project_in_waves_without_a_count_is_refused_in_the_admin(admin_client, danish):
    data = {
        "short_name": "AULA",
        "slug": "aula",
        "phase": Project.Phase.ROLLOUT,
        "rollout": Project.Rollout.WAVES,
        "usages-TOTAL_FORMS": "0",
        "usages-INITIAL_FORMS": "0",
        "project_roles-TOTAL_FORMS": "0",
        "project_roles-INITIAL_FORMS": "0",
    }
    response = admin_client.post(admin_url(Project, "add"), data)
    assert response.status_code == 200
    assert "En bølgevis udrulning skal have et antal bølger." in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("klik", "task", "project"),
        ("klik", "municipalitytask", "responsible"),
        ("portfolio", "interface", "support_system"),
    ],
)
def test_an_admin_autocomplete_search_with_a_nul_byte_finds_nothing_instead_of_failing(
    admin_client, catalogue, app_label, model_name, field_name
):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": "BBR\x00",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
