"""Role assignments: a person holds a role once at a time, for a project or across projects."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rollegalleri.models import RoleAssignment
from tests.factories import PersonFactory, ProjectFactory, RoleAssignmentFactory, RoleFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


@pytest.fixture
def held(naestved):
    """A current assignment for a project, and one across projects, of the same person."""
    person = PersonFactory(municipality=naestved)
    role = RoleFactory()
    project = ProjectFactory()
    return (
        RoleAssignmentFactory(person=person, role=role, project=project),
        RoleAssignmentFactory(person=person, role=role, project=None),
    )


def again(assignment, **changes):
    fields = {"person": assignment.person, "role": assignment.role}
    fields |= {"project": assignment.project, "started_on": START, **changes}
    return RoleAssignment(**fields)


def test_a_second_current_assignment_for_the_same_project_is_refused(held, danish):
    twin = again(held[0])
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert "Personen har allerede denne rolle på projektet." in excinfo.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_second_current_assignment_across_projects_is_refused(held, danish):
    twin = again(held[1])
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert "Personen har allerede denne rolle på tværs af projekter." in excinfo.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.parametrize("which", [0, 1], ids=["for-a-project", "across-projects"])
def test_an_ended_assignment_does_not_block_a_new_one(held, which):
    old = held[which]
    old.ended_on = datetime.date(2026, 3, 1)
    old.save()
    new = again(old, started_on=datetime.date(2026, 4, 1))
    new.full_clean()
    new.save()
    assert RoleAssignment.objects.filter(person=old.person, project=old.project).count() == 2


def test_the_same_role_for_another_project_is_allowed(held):
    other = again(held[0], project=ProjectFactory())
    other.full_clean()
    other.save()


def test_two_persons_may_share_a_role(held, naestved):
    colleague = again(held[0], person=PersonFactory(municipality=naestved))
    colleague.full_clean()
    colleague.save()


def test_an_assignment_cannot_end_before_it_starts(held, danish):
    backwards = again(held[0], project=ProjectFactory(), ended_on=START - datetime.timedelta(1))
    with pytest.raises(ValidationError) as excinfo:
        backwards.full_clean()
    assert excinfo.value.messages == ["En rolletildeling kan ikke slutte, før den starter."]
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()


def test_a_retired_person_cannot_be_given_a_role(naestved, danish):
    person = PersonFactory(municipality=naestved, retired_on=START)
    assignment = RoleAssignment(person=person, role=RoleFactory(), started_on=START)
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    assert excinfo.value.message_dict["person"] == ["En fratrådt person kan ikke få en rolle."]


def test_two_persons_of_a_municipality_cannot_share_an_email(naestved, danish):
    PersonFactory(municipality=naestved, email="a@naestved.dk")
    twin = PersonFactory.build(municipality=naestved, email="a@naestved.dk")
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert "Der findes allerede en person med denne e-mail." in excinfo.value.messages
