"""The rules of persons and role assignments, as every caller gets them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from klik.models import State
from portfolio.validators import FORBIDDEN_CHARACTER
from rollegalleri import services
from rollegalleri.models import RoleAssignment
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    RoleAssignmentFactory,
    RoleFactory,
    municipality_task,
)

DAY = datetime.date(2026, 6, 15)


def test_person_create_puts_the_person_in_the_municipality(naestved):
    person = services.person_create(municipality=naestved, name="Ane", email="ane@x.dk")
    assert person.pk and person.municipality == naestved


def test_person_create_refuses_a_bad_email(naestved):
    with pytest.raises(ValidationError) as error:
        services.person_create(municipality=naestved, name="Ane", email="nope")
    assert "email" in error.value.message_dict


def test_person_update_changes_the_details_but_not_the_municipality(naestved):
    person = PersonFactory(municipality=naestved)
    services.person_update(person=person, name="Ny", email="", job_title="Chef", department="IT")
    person.refresh_from_db()
    assert (person.name, person.job_title, person.municipality) == ("Ny", "Chef", naestved)


def test_role_assignment_create_refuses_another_municipalitys_person(naestved, hoersholm):
    person = PersonFactory(municipality=hoersholm)
    with pytest.raises(ValidationError) as error:
        services.role_assignment_create(municipality=naestved, person=person, role=RoleFactory())
    assert error.value.message_dict["person"] == [str(services.PERSON_OTHER_MUNICIPALITY)]
    assert not RoleAssignment.objects.exists()


def test_role_assignment_create_refuses_a_retired_person(naestved):
    person = PersonFactory(municipality=naestved, retired_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.role_assignment_create(municipality=naestved, person=person, role=RoleFactory())
    assert error.value.message_dict["person"] == [str(services.PERSON_RETIRED)]


def test_role_assignment_create_refuses_duplicates_but_allows_another_scope(naestved):
    person, role, bbr = PersonFactory(municipality=naestved), RoleFactory(), ProjectFactory()
    services.role_assignment_create(municipality=naestved, person=person, role=role, project=bbr)
    with pytest.raises(ValidationError) as error:
        services.role_assignment_create(
            municipality=naestved, person=person, role=role, project=bbr
        )
    assert error.value.messages == [str(services.ASSIGNMENT_DUPLICATE)]
    # Across projects and for another project are different assignments.
    services.role_assignment_create(municipality=naestved, person=person, role=role)
    services.role_assignment_create(
        municipality=naestved, person=person, role=role, project=ProjectFactory()
    )
    with pytest.raises(ValidationError) as error:
        services.role_assignment_create(municipality=naestved, person=person, role=role)
    assert error.value.messages == [str(services.ASSIGNMENT_DUPLICATE_ACROSS)]
    assert RoleAssignment.objects.count() == 3


def test_an_ended_assignment_can_be_given_again(naestved):
    person, role = PersonFactory(municipality=naestved), RoleFactory()
    old = RoleAssignmentFactory(person=person, role=role)
    services.role_assignment_end(assignment=old, ended_on=DAY)
    services.role_assignment_create(municipality=naestved, person=person, role=role)
    assert RoleAssignment.objects.filter(person=person, role=role).count() == 2


def test_role_assignment_end_sets_the_end_and_keeps_the_row(naestved):
    assignment = RoleAssignmentFactory(person=PersonFactory(municipality=naestved))
    services.role_assignment_end(assignment=assignment, ended_on=DAY)
    assignment.refresh_from_db()
    assert assignment.ended_on == DAY
    with pytest.raises(ValidationError) as error:
        services.role_assignment_end(assignment=assignment)
    assert error.value.messages == [str(services.ASSIGNMENT_ALREADY_ENDED)]


def test_an_assignment_starting_later_ends_the_day_it_starts(naestved):
    assignment = RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved), started_on=datetime.date(2030, 1, 1)
    )
    services.role_assignment_end(assignment=assignment, ended_on=DAY)
    assert assignment.ended_on == datetime.date(2030, 1, 1)


def test_person_retire_ends_the_roles_and_returns_the_open_tasks(naestved):
    person = PersonFactory(municipality=naestved)
    current = RoleAssignmentFactory(person=person)
    ended = RoleAssignmentFactory(person=person, ended_on=datetime.date(2026, 2, 1))
    on_it = municipality_task(naestved, title="Åben")
    on_it.executor = person
    on_it.save()
    done = municipality_task(naestved, title="Løst")
    done.responsible, done.state = person, State.DONE
    done.save()
    municipality_task(naestved, title="Andres")

    open_tasks = services.person_retire(person=person, retired_on=DAY)

    assert [mt.task.title for mt in open_tasks] == ["Åben"]
    current.refresh_from_db()
    ended.refresh_from_db()
    assert (current.ended_on, ended.ended_on) == (DAY, datetime.date(2026, 2, 1))
    assert person.retired_on == DAY
    with pytest.raises(ValidationError):
        services.person_retire(person=person)


@pytest.mark.parametrize("field", ["name", "job_title", "department"])
def test_person_create_refuses_characters_no_export_could_write(naestved, field, danish):
    values = {"name": "Ane", field: "Ane\ufffe"}
    with pytest.raises(ValidationError) as refused:
        services.person_create(municipality=naestved, **values)
    assert refused.value.message_dict[field] == [str(FORBIDDEN_CHARACTER) % {"character": "U+FFFE"}]
