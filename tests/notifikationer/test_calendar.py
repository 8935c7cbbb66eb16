"""The secret calendar feed: the right deadlines, no session, revocable."""

import datetime
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from klik.models import MunicipalityTask, State
from notifikationer.models import CalendarFeed
from notifikationer.services import calendar_feed_renew
from tests.factories import EventFactory, TaskFactory

pytestmark = pytest.mark.django_db


def feed_of(client, feed):
    client.logout()
    return client.get(feed.get_absolute_url())


def test_the_feed_holds_exactly_the_municipalitys_unsolved_deadlines_and_events(
    client, leader, naestved, hoersholm
):
    today = timezone.localdate()
    due = TaskFactory(title="Med frist", deadline=today + timedelta(20))
    solved = TaskFactory(title="Løst", deadline=today + timedelta(10))
    TaskFactory(title="Uden frist")
    MunicipalityTask.objects.filter(task=solved, municipality=naestved).update(state=State.DONE)
    EventFactory(title="Webinar om STS")
    feed = calendar_feed_renew(user=leader)
    response = feed_of(client, feed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == ["KLIK-frist: Med frist", "Webinar om STS"]
    deadline = next(e for e in events if "Med frist" in str(e["summary"]))
    assert deadline.decoded("dtstart") == today + timedelta(20)
    own = MunicipalityTask.objects.get(task=due, municipality=naestved)
    other = MunicipalityTask.objects.get(task=due, municipality=hoersholm)
    assert str(deadline["url"]) == f"https://kombitpl.example.org/klik/{own.pk}/"
    assert f"klik-{other.pk}@" not in response.content.decode()


def test_a_renewed_or_revoked_token_answers_404(client, leader):
    old = calendar_feed_renew(user=leader)
    new = calendar_feed_renew(user=leader)
    assert feed_of(client, old).status_code == 404
    assert feed_of(client, new).status_code == 200
    client.force_login(leader)
    client.post(reverse("notifikationer:calendar_manage"), {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    assert feed_of(client, new).status_code == 404


def test_the_preferences_page_makes_a_feed_address(leader_client, leader):
    leader_client.post(reverse("notifikationer:calendar_manage"), {"action": "renew"})
    page = leader_client.get(reverse("notifikationer:preferences"))
    feed = CalendarFeed.objects.get(user=leader)
    assert f"https://kombitpl.example.org/kalender/{feed.token}.ics" in page.content.decode()


def test_an_unknown_token_answers_404(client):
    assert client.get("/kalender/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/kalender/kort.ics").status_code == 404


def test_an_inactive_users_feed_answers_404(client, leader):
    feed = calendar_feed_renew(user=leader)
    leader.is_active = False
    leader.save()
    assert feed_of(client, feed).status_code == 404


def test_kombit_staff_feed_holds_events_only(client, kombit, naestved):
    TaskFactory(deadline=datetime.date(2030, 1, 1))
    EventFactory(title="Kommunedag")
    response = feed_of(client, calendar_feed_renew(user=kombit))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Kommunedag"]


@pytest.mark.parametrize(
    "path", ["/kalender/%00" + "a" * 30 + ".ics", "/kalender/" + "a" * 200 + ".ics"]
)
def test_hostile_feed_tokens_answer_404(client, path):
    assert client.get(path).status_code == 404
