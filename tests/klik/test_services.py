"""municipality_task_update: optimistic locking, history, the municipality rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klik.models import MunicipalityTask, State
from klik.services import StaleVersionError, municipality_task_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


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
