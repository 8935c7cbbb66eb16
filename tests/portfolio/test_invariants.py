"""The portfolio's invariants: validation names the problem, and the database refuses it too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portfolio.models import Event, Interface, InterfaceUsage, Municipality, Project
from tests.factories import (
    EventFactory,
    InterfaceFactory,
    InterfaceUsageFactory,
    MunicipalityFactory,
    ProjectFactory,
    SupportSystemFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(excinfo, field="__all__"):
    return [str(m) for m in excinfo.value.message_dict[field]]


def refused_by_database(save):
    """True when the database raises IntegrityError for `save` (rolled back on its own)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("code", ["SF151", "SF15111", "sf1511", "XX1511", "SF15a1", ""])
def test_an_interface_code_that_is_not_sf_and_four_digits_is_refused(code):
    interface = InterfaceFactory.build(code=code, support_system=SupportSystemFactory())
    with pytest.raises(ValidationError) as excinfo:
        interface.full_clean()
    assert "code" in excinfo.value.message_dict


def test_a_bad_interface_code_gets_a_message_saying_the_format(danish):
    interface = InterfaceFactory.build(code="SF15", support_system=SupportSystemFactory())
    with pytest.raises(ValidationError) as excinfo:
        interface.full_clean()
    assert messages_of(excinfo, "code") == ["En snitfladekode er SF og 4 cifre."]


def test_the_database_refuses_a_raw_save_of_a_bad_interface_code():
    interface = InterfaceFactory.build(code="SF15X1", support_system=SupportSystemFactory())
    assert refused_by_database(interface.save)
    assert not Interface.objects.exists()


def test_the_database_refuses_an_update_to_a_bad_interface_code():
    interface = InterfaceFactory(code="SF1511")
    assert refused_by_database(
        lambda: Interface.objects.filter(pk=interface.pk).update(code="1511")
    )
    interface.refresh_from_db()
    assert interface.code == "SF1511"


def test_a_good_interface_code_passes():
    InterfaceFactory.build(code="SF1511", support_system=SupportSystemFactory()).full_clean()


@pytest.mark.parametrize("code", ["37", "3700", "abc", "37a"])
def test_a_municipality_code_that_is_not_three_digits_is_refused(code, danish):
    with pytest.raises(ValidationError) as excinfo:
        Municipality(code=code, name="Et sted").full_clean()
    assert "En kommunekode har 3 cifre." in messages_of(excinfo, "code")


def test_the_database_refuses_a_raw_save_of_a_bad_municipality_code():
    assert refused_by_database(lambda: Municipality.objects.create(code="37x", name="X"))
    municipality = MunicipalityFactory(code="370", name="Næstved")
    assert refused_by_database(
        lambda: Municipality.objects.filter(pk=municipality.pk).update(code="37")
    )


def test_a_rollout_in_waves_without_a_count_is_refused(danish):
    project = ProjectFactory.build(rollout=Project.Rollout.WAVES, rollout_waves=None)
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean()
    assert messages_of(excinfo) == ["En bølgevis udrulning skal have et antal bølger."]
    assert refused_by_database(project.save)


def test_a_rollout_in_waves_with_a_count_passes():
    ProjectFactory.build(rollout=Project.Rollout.WAVES, rollout_waves=3).full_clean()


def test_a_project_uses_an_interface_only_once(danish):
    usage = InterfaceUsageFactory()
    twin = InterfaceUsage(project=usage.project, interface=usage.interface, state="new")
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert messages_of(excinfo) == ["Projektet bruger allerede denne snitflade."]
    assert refused_by_database(twin.save)


def test_an_event_cannot_end_before_it_starts(danish):
    start = datetime.datetime(2026, 6, 7, 10, tzinfo=datetime.UTC)
    event = EventFactory.build(starts_at=start, ends_at=start - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert messages_of(excinfo) == ["Et arrangement kan ikke slutte, før det starter."]
    assert refused_by_database(event.save)
    assert not Event.objects.exists()
