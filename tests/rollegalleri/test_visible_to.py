"""Persons and role assignments are scoped to the user's municipality; KOMBIT sees all."""

import pytest
from django.contrib.admin import AdminSite
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from portfolio.sites import KombitAdminSite
from rollegalleri.models import Person, RoleAssignment
from tests.factories import PersonFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture
def staffed(naestved, hoersholm):
    """One person with one role in each of Næstved and Hørsholm."""
    return [
        RoleAssignmentFactory(person=PersonFactory(municipality=m, name=f"Person i {m.name}"))
        for m in (naestved, hoersholm)
    ]


def person_names(user):
    return sorted(Person.objects.visible_to(user).values_list("name", flat=True))


def assignment_holders(user):
    return sorted(RoleAssignment.objects.visible_to(user).values_list("person__name", flat=True))


def test_a_programme_leader_sees_only_their_own_persons(staffed, leader):
    assert person_names(leader) == ["Person i Næstved"]


def test_a_programme_leader_sees_only_their_own_assignments(staffed, leader):
    assert assignment_holders(leader) == ["Person i Næstved"]


def test_kombit_staff_see_every_municipalitys_persons_and_assignments(staffed, kombit):
    both = ["Person i Hørsholm", "Person i Næstved"]
    assert person_names(kombit) == both
    assert assignment_holders(kombit) == both


@pytest.mark.parametrize(
    "make_user",
    [lambda: UserFactory(username="nobody", municipality=None), AnonymousUser],
    ids=["no-municipality-no-group", "anonymous"],
)
def test_a_user_without_municipality_or_kombit_group_sees_no_persons(staffed, make_user):
    user = make_user()
    assert person_names(user) == []
    assert assignment_holders(user) == []


@pytest.fixture
def staff_leader_client(client, leader, monkeypatch):
    """A municipal user with a staff flag, and the site's rule that keeps municipal users out
    lifted: the scoped admin below it must still hold on its own."""
    monkeypatch.setattr(KombitAdminSite, "has_permission", AdminSite.has_permission)
    leader.is_staff = True
    leader.save()
    client.force_login(leader)
    return client


def test_the_person_admin_lists_only_the_municipal_users_own_persons(staffed, staff_leader_client):
    response = staff_leader_client.get(reverse("admin:rollegalleri_person_changelist"))
    assert [p.name for p in response.context["cl"].result_list] == ["Person i Næstved"]


def test_the_assignment_admin_lists_only_the_municipal_users_own(staffed, staff_leader_client):
    response = staff_leader_client.get(reverse("admin:rollegalleri_roleassignment_changelist"))
    assert [a.person.name for a in response.context["cl"].result_list] == ["Person i Næstved"]


def test_a_municipal_user_cannot_add_a_person_to_another_municipality(
    staffed, staff_leader_client, hoersholm
):
    data = {
        "municipality": hoersholm.pk,
        "name": "Indtrænger",
        "email": "",
        "job_title": "",
        "department": "",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    response = staff_leader_client.post(reverse("admin:rollegalleri_person_add"), data)
    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    assert not Person.objects.filter(name="Indtrænger").exists()


def test_the_person_autocomplete_offers_only_the_municipal_users_own_persons(
    staffed, staff_leader_client
):
    response = staff_leader_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "klik",
            "model_name": "municipalitytask",
            "field_name": "responsible",
            "term": "Person",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Person i Næstved"]
