"""The role gallery in the admin: inlines save, and the big lists keep their query count."""

import pytest
from django.urls import reverse

from rollegalleri.models import ProjectRole, RoleAssignment
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    RoleAssignmentFactory,
    RoleFactory,
)


def test_a_persons_roles_are_edited_on_the_person(admin_client, naestved):
    person = PersonFactory(municipality=naestved)
    role, project = RoleFactory(), ProjectFactory()
    data = {
        "municipality": naestved.pk,
        "name": person.name,
        "email": person.email,
        "job_title": "",
        "department": "",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-role": role.pk,
        "assignments-0-project": project.pk,
        "assignments-0-started_on": "2026-02-01",
    }
    url = reverse("admin:rollegalleri_person_change", args=[person.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert RoleAssignment.objects.get(person=person).project == project


def test_a_duplicate_current_role_is_refused_on_the_person_form(admin_client, naestved, danish):
    held = RoleAssignmentFactory(person=PersonFactory(municipality=naestved))
    data = {
        "municipality": naestved.pk,
        "name": held.person.name,
        "email": held.person.email,
        "job_title": "",
        "department": "",
        "assignments-TOTAL_FORMS": "2",
        "assignments-INITIAL_FORMS": "1",
        "assignments-0-id": held.pk,
        "assignments-0-person": held.person.pk,
        "assignments-0-role": held.role.pk,
        "assignments-0-started_on": "2026-01-01",
        "assignments-1-role": held.role.pk,
        "assignments-1-started_on": "2026-02-01",
    }
    url = reverse("admin:rollegalleri_person_change", args=[held.person.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Personen har allerede denne rolle på tværs af projekter." in response.content.decode()
    assert RoleAssignment.objects.count() == 1


def test_a_projects_roles_are_edited_on_the_project(admin_client):
    project, role = ProjectFactory(), RoleFactory()
    data = {
        "short_name": project.short_name,
        "name": project.name,
        "slug": project.slug,
        "description": "",
        "phase": project.phase,
        "rollout": project.rollout,
        "usages-TOTAL_FORMS": "0",
        "usages-INITIAL_FORMS": "0",
        "project_roles-TOTAL_FORMS": "1",
        "project_roles-INITIAL_FORMS": "0",
        "project_roles-0-role": role.pk,
        "project_roles-0-required": "on",
    }
    response = admin_client.post(reverse("admin:portfolio_project_change", args=[project.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ProjectRole.objects.get(project=project).role == role


def fill(naestved, hoersholm, n):
    for municipality in (naestved, hoersholm):
        for _ in range(n):
            RoleAssignmentFactory(person=PersonFactory(municipality=municipality))


@pytest.mark.parametrize("model, queries", [("person", 6), ("roleassignment", 9)])
def test_the_big_role_gallery_lists_keep_their_query_count(
    admin_client, naestved, hoersholm, model, queries, django_assert_num_queries
):
    url = reverse(f"admin:rollegalleri_{model}_changelist")
    fill(naestved, hoersholm, 2)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).status_code == 200
    fill(naestved, hoersholm, 20)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).status_code == 200


def test_the_same_role_twice_in_one_person_form_is_refused(admin_client, naestved, danish):
    person = PersonFactory(municipality=naestved)
    role, project = RoleFactory(), ProjectFactory()
    row = {"role": role.pk, "project": project.pk, "started_on": "2026-02-01"}
    data = {
        "municipality": naestved.pk,
        "name": person.name,
        "email": person.email,
        "assignments-TOTAL_FORMS": "2",
        "assignments-INITIAL_FORMS": "0",
        **{f"assignments-{i}-{k}": v for i in (0, 1) for k, v in row.items()},
    }
    url = reverse("admin:rollegalleri_person_change", args=[person.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Personen har allerede denne rolle på projektet." in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_a_role_the_project_already_has_is_refused_on_the_role_form(admin_client, danish):
    existing = ProjectRole.objects.create(project=ProjectFactory(), role=RoleFactory())
    other = RoleFactory()
    data = {
        "name": other.name,
        "slug": other.slug,
        "category": other.category,
        "position": "0",
        "project_roles-TOTAL_FORMS": "1",
        "project_roles-INITIAL_FORMS": "0",
        "project_roles-0-project": existing.project.pk,
        "project_roles-0-required": "on",
    }
    response = admin_client.post(reverse("admin:rollegalleri_role_change", args=[other.pk]), data)
    assert response.status_code == 302
    data["project_roles-0-project"] = existing.project.pk
    url = reverse("admin:rollegalleri_role_change", args=[existing.role.pk])
    data |= {"name": existing.role.name, "slug": existing.role.slug}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Projektet har allerede denne rolle." in response.content.decode()
    assert ProjectRole.objects.filter(project=existing.project).count() == 2
