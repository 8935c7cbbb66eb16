"""KLIK's invariants: one copy per municipality and task, persons of the task's own
municipality, and a deadline not before the start."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from klik.models import MunicipalityTask, Task
from rollegalleri.models import PERSON_OTHER_MUNICIPALITY
from tests.factories import PersonFactory, ProjectFactory, TaskFactory, municipality_task

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_copy_of_a_task_for_a_municipality(naestved):
    mt = municipality_task(naestved)
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityTask.objects.create(task=mt.task, municipality=naestved)
    assert MunicipalityTask.objects.filter(task=mt.task, municipality=naestved).count() == 1


def test_validation_names_a_second_copy_of_a_task_for_a_municipality(naestved, danish):
    mt = municipality_task(naestved)
    twin = MunicipalityTask(task=mt.task, municipality=naestved)
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert "Kommunen har allerede denne opgave." in excinfo.value.messages


@pytest.mark.parametrize("field", ["responsible", "executor"])
def test_a_person_of_another_municipality_is_refused_on_a_task(field, naestved, hoersholm, danish):
    mt = municipality_task(naestved)
    setattr(mt, field, PersonFactory(municipality=hoersholm))
    with pytest.raises(ValidationError) as excinfo:
        mt.full_clean()
    assert excinfo.value.message_dict == {field: [str(PERSON_OTHER_MUNICIPALITY)]}
    assert str(PERSON_OTHER_MUNICIPALITY) == "Personen hører til en anden kommune."


def test_persons_of_the_tasks_own_municipality_pass(naestved):
    mt = municipality_task(naestved)
    mt.responsible = PersonFactory(municipality=naestved)
    mt.executor = PersonFactory(municipality=naestved)
    mt.full_clean()


def test_a_task_with_its_deadline_before_its_start_is_refused(danish):
    task = Task(
        title="Bagvendt",
        project=ProjectFactory(),
        published_on=datetime.date(2026, 1, 1),
        starts_on=datetime.date(2026, 3, 1),
        deadline=datetime.date(2026, 2, 28),
    )
    with pytest.raises(ValidationError) as excinfo:
        task.full_clean()
    assert excinfo.value.messages == ["Slutdatoen kan ikke ligge før startdatoen."]
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_task_ending_on_its_start_day_passes():
    day = datetime.date(2026, 3, 1)
    TaskFactory.build(project=ProjectFactory(), starts_on=day, deadline=day).full_clean()
