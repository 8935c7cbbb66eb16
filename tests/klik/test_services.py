"""Publishing a KLIK task (every municipality gets exactly one copy, in one transaction) and
updating a municipality's copy (optimistic locking, history, the municipality rule)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klik.models import MunicipalityTask, State, Task
from klik.services import (
    StaleVersionError,
    municipality_task_update,
    municipality_tasks_ensure,
    task_publish,
)
from portfolio.models import Municipality
from tests.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    RoleFactory,
    TaskFactory,
)

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


@pytest.mark.parametrize("municipalities", [3, 98])
def test_publishing_to_all_98_municipalities_takes_a_fixed_number_of_queries(
    django_assert_num_queries, municipalities
):
    Municipality.objects.bulk_create(
        Municipality(code=f"{n:03d}", name=f"Kommune {n}") for n in range(100, 100 + municipalities)
    )
    project = ProjectFactory()
    # Save, validation, one read of the copies, one of the municipalities, one bulk insert.
    with django_assert_num_queries(10):
        task = TaskFactory(project=project)
    assert task.municipality_tasks.count() == municipalities


def test_update_bumps_the_version_and_records_each_changed_field(leader, naestved, make_task):
    mt = make_task()
    person = PersonFactory(municipality=naestved, name="Ny Person")
    changes = municipality_task_update(
        municipality_task=mt,
        user=leader,
        data={"state": State.DONE, "responsible": person, "note": mt.note},
        version=0,
    )
    assert [(c.field, c.new_value, c.version) for c in changes] == [
        ("state", "Løst", 1),
        ("responsible", "Ny Person", 1),
    ]
    saved = MunicipalityTask.objects.get(pk=mt.pk)
    assert saved.version == 1 and saved.updated_by == leader
    assert saved.changes.count() == 2


def test_update_without_changes_keeps_the_version(leader, make_task):
    mt = make_task()
    assert municipality_task_update(municipality_task=mt, user=leader, data={}, version=0) == []
    assert MunicipalityTask.objects.get(pk=mt.pk).version == 0


def test_stale_version_is_refused_with_the_changes_since(leader, make_task):
    mt = make_task()
    municipality_task_update(municipality_task=mt, user=leader, data={"note": "a"}, version=0)
    municipality_task_update(municipality_task=mt, user=leader, data={"note": "b"}, version=1)
    with pytest.raises(StaleVersionError) as refused:
        municipality_task_update(municipality_task=mt, user=leader, data={"note": "c"}, version=1)
    assert [(c.old_value, c.new_value) for c in refused.value.changes] == [("a", "b")]
    assert MunicipalityTask.objects.get(pk=mt.pk).note == "b"


def test_users_of_other_municipalities_and_kombit_cannot_update(other_leader, kombit, make_task):
    mt = make_task()
    for user in (other_leader, kombit):
        with pytest.raises(PermissionDenied):
            municipality_task_update(municipality_task=mt, user=user, data={"note": "x"}, version=0)
    assert MunicipalityTask.objects.get(pk=mt.pk).note == ""


def test_persons_of_another_municipality_are_refused(leader, hoersholm, make_task):
    mt = make_task()
    with pytest.raises(ValidationError):
        municipality_task_update(
            municipality_task=mt,
            user=leader,
            data={"executor": PersonFactory(municipality=hoersholm)},
            version=0,
        )
    assert MunicipalityTask.objects.get(pk=mt.pk).version == 0
