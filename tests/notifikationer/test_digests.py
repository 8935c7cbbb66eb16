"""The programme leader's weekly digest and KOMBIT's national digest."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from klik.models import MunicipalityTask, State
from notifikationer.models import Weekday
from notifikationer.services import notifications_send, preference_update
from tests.factories import (
    EventFactory,
    KombitStaffFactory,
    PersonFactory,
    ProgrammeLeaderFactory,
    ProjectRoleFactory,
    TaskFactory,
    municipality_task,
)
from tests.notifikationer.conftest import TODAY

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(7)))


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def digests(outbox):
    return [m for m in outbox if "ugens overblik" in m.subject]


def test_the_weekly_digest_lists_every_section_and_links_each_item(naestved, hoersholm, outbox):
    leader = ProgrammeLeaderFactory(municipality=naestved, email="leder@naestved.dk")
    person = PersonFactory(municipality=naestved)
    new = municipality_task(naestved, title="Ny opgave", published_on=TODAY - timedelta(2))
    soon = municipality_task(naestved, title="Snart frist", deadline=TODAY + timedelta(5))
    MunicipalityTask.objects.filter(pk=soon.pk).update(
        responsible=person, executor=person, state=State.IN_PROGRESS
    )
    municipality_task(naestved, title="Stillestående", deadline=TODAY - timedelta(30))
    MunicipalityTask.objects.update(updated_at=NOW - timedelta(days=40))
    ProjectRoleFactory(role__name="Sikkerhedsansvarlig")
    EventFactory(title="Netværksmøde", starts_at=NOW + timedelta(days=10))
    municipality_task(hoersholm, title="Hørsholms egen")  # published to both; only copies differ
    notifications_send()
    [digest] = [m for m in digests(outbox) if m.to == [leader.email]]
    text = digest.body
    assert digest.subject == "KLIK – Næstved: ugens overblik, 7. december 2026"
    for heading in (
        "Publiceret siden sidste overblik",
        "Blevet røde eller gule",
        "Til eskalering",
        "Frister de næste 14 dage",
        "Påkrævede roller uden nogen på",
        "Kommende arrangementer",
    ):
        assert heading in text, heading
    assert "Ny opgave" in text and "Snart frist" in text and "Stillestående" in text
    assert "Sikkerhedsansvarlig" in text and "Netværksmøde" in text
    assert f"https://kombitpl.example.org/klik/{new.pk}/" in text
    assert f"/klik/{soon.pk}/" in digest.alternatives[0][0]


def test_the_digest_comes_on_the_chosen_weekday_once_a_week(naestved, outbox):
    leader = ProgrammeLeaderFactory(municipality=naestved, email="leder@naestved.dk")
    preference_update(email=leader.email, data={"digest_weekday": Weekday.WEDNESDAY})
    municipality_task(naestved, deadline=TODAY + timedelta(9))
    notifications_send()
    assert not digests(outbox)
    wednesday = TODAY + timedelta(2)
    notifications_send(today=wednesday, now=NOW + timedelta(2))
    notifications_send(today=wednesday, now=NOW + timedelta(2, hours=3))
    assert len([m for m in digests(outbox) if m.to == [leader.email]]) == 1


def test_an_empty_digest_is_not_sent(naestved, outbox):
    ProgrammeLeaderFactory(municipality=naestved, email="leder@naestved.dk")
    notifications_send()
    assert not digests(outbox)


def test_the_digest_can_be_turned_off(naestved, outbox):
    leader = ProgrammeLeaderFactory(municipality=naestved, email="leder@naestved.dk")
    preference_update(email=leader.email, data={"digest": False})
    municipality_task(naestved, deadline=TODAY + timedelta(9))
    notifications_send()
    assert not digests(outbox)


def test_kombit_staff_who_subscribe_get_the_national_digest(naestved, hoersholm, outbox):
    staff = KombitStaffFactory(email="k@kombit.dk", first_name="Karin")
    not_subscribed = KombitStaffFactory(email="n@kombit.dk")
    preference_update(email=staff.email, data={"national_digest": True})
    TaskFactory(title="Overskredet", deadline=TODAY - timedelta(3))
    notifications_send()
    mine = [m for m in outbox if m.to == [staff.email]]
    assert len(mine) == 1
    assert mine[0].subject == "KLIK – Alle kommuner: ugens overblik, 7. december 2026"
    assert "Hørsholm: 1 Rød" in mine[0].body and "Næstved: 1 Rød" in mine[0].body
    assert "- Rød: 2 (+2)" in mine[0].body
    assert not [m for m in outbox if m.to == [not_subscribed.email]]
