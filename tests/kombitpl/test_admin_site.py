"""The admin site as KOMBIT's admins use it: every app's admin page opens, in Danish."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from klik.models import MunicipalityTaskChange
from notifikationer.models import CalendarFeed, ColourCount, MailPreference, Notice, OutgoingMail
from portfolio.models import Material
from tests.factories import (
    EventFactory,
    InterfaceUsageFactory,
    PersonFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    municipality_task,
)

# The project's own admin pages; django-tasks-db's read-only queue admin and django-axes'
# read-only login records are tested on their own.
THIRD_PARTY = {"django_tasks_database", "axes"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label not in THIRD_PARTY),
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


def test_the_login_records_open_read_only_for_the_superuser(admin_client):
    for name in ("accessattempt", "accesslog", "accessfailurelog"):
        assert admin_client.get(f"/admin/axes/{name}/").status_code == 200
        assert admin_client.get(f"/admin/axes/{name}/add/").status_code == 403


def test_the_background_job_queue_opens_read_only_for_the_superuser(admin_client):
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/add/").status_code == 403


def test_admin_header_is_in_danish(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "KOMBIT-programleder – administration" in response.content.decode()


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
