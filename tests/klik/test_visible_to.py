"""Municipality tasks are scoped to the user: own municipality, everything for KOMBIT, else none."""

import pytest
from django.contrib.auth.models import AnonymousUser

from klik.models import MunicipalityTask
from tests.factories import TaskFactory, UserFactory


@pytest.fixture
def tasks(naestved, hoersholm):
    """Two published tasks: two copies each for Næstved and Hørsholm."""
    return TaskFactory.create_batch(2)


def municipalities_seen(user):
    return sorted(
        MunicipalityTask.objects.visible_to(user).values_list("municipality__code", flat=True)
    )


def test_a_programme_leader_sees_only_their_own_municipality_tasks(tasks, leader):
    assert municipalities_seen(leader) == ["370", "370"]


def test_another_municipality_sees_only_theirs(tasks, other_leader):
    assert municipalities_seen(other_leader) == ["223", "223"]


def test_kombit_staff_see_every_municipality(tasks, kombit):
    assert municipalities_seen(kombit) == ["223", "223", "370", "370"]


def test_a_user_without_municipality_or_kombit_group_sees_nothing(tasks):
    nobody = UserFactory(username="nobody", municipality=None)
    assert municipalities_seen(nobody) == []


def test_an_anonymous_user_sees_nothing(tasks):
    assert municipalities_seen(AnonymousUser()) == []


def test_visible_to_combines_with_colour_and_counts(tasks, leader):
    counts = MunicipalityTask.objects.visible_to(leader).with_colour().colour_counts()
    assert sum(counts.values()) == 2
