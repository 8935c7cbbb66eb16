"""Publishing a KLIK task: every municipality gets exactly one copy, in one transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from klik.models import MunicipalityTask, Task
from klik.services import municipality_tasks_ensure, task_publish
from portfolio.models import Municipality
from tests.factories import MunicipalityFactory, ProjectFactory, RoleFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities(naestved, hoersholm):
    return [naestved, hoersholm, *MunicipalityFactory.create_batch(5)]


def test_publishing_gives_every_municipality_exactly_one_copy(municipalities):
    task = TaskFactory()
    copies = list(task.municipality_tasks.values_list("municipality_id", flat=True))
    assert sorted(copies) == sorted(m.pk for m in municipalities)


def test_publishing_sets_the_roles_needed(municipalities):
    role = RoleFactory()
    task = task_publish(
        task=Task(title="Roller", project=ProjectFactory(), published_on=datetime.date.today()),
        roles=[role],
    )
    assert list(task.roles.all()) == [role]


def test_ensuring_copies_again_makes_none(municipalities):
    task = TaskFactory()
    assert municipality_tasks_ensure(task=task) == 0
    assert MunicipalityTask.objects.filter(task=task).count() == len(municipalities)


def test_a_municipality_added_later_gets_its_copy_when_ensured(municipalities):
    task = TaskFactory()
    newcomer = MunicipalityFactory(code="101", name="København")
    assert municipality_tasks_ensure(task=task) == 1
    assert MunicipalityTask.objects.get(task=task, municipality=newcomer)


def test_an_invalid_task_is_not_published_at_all(municipalities):
    task = Task(
        title="Bagvendt",
        published_on=datetime.date(2026, 1, 1),
        starts_on=datetime.date(2026, 3, 1),
        deadline=datetime.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError):
        task_publish(task=task)
    assert not Task.objects.exists()
    assert not MunicipalityTask.objects.exists()


def test_publishing_to_all_98_municipalities_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    Municipality.objects.bulk_create(
        Municipality(code=f"{n:03d}", name=f"Kommune {n}") for n in range(100, 198)
    )
    project = ProjectFactory()
    # Save, validation, one read of the copies, one of the municipalities, one bulk insert.
    with django_assert_max_num_queries(10):
        task = TaskFactory(project=project)
    assert task.municipality_tasks.count() == 98
