"""The portfolio admin: the user admin knows municipalities, the project form its rules."""

from django.urls import reverse

from portfolio.models import InterfaceUsage, Project, User
from tests.factories import InterfaceUsageFactory


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


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
