"""`/arrangementer/` and each event's iCalendar file."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from portfolio.models import Event
from tests.factories import EventFactory, ProjectFactory
from tests.overblik.test_support_system import page

DAY = datetime.timedelta(days=1)


def titles(section):
    return [h.text_content().strip() for h in section.xpath(".//li[@id]/h3")]


def test_coming_events_come_first_soonest_first_and_past_ones_are_folded(leader_client):
    now = timezone.now()
    EventFactory(title="Om to dage", starts_at=now + 2 * DAY)
    EventFactory(title="I morgen", starts_at=now + DAY)
    EventFactory(title="I går", starts_at=now - DAY)
    EventFactory(title="For en uge siden", starts_at=now - 7 * DAY)

    doc = page(leader_client, "/arrangementer/")

    main = doc.xpath("//main")[0]
    folded = main.xpath(".//details")[0]
    coming = [t for t in titles(main) if t not in titles(folded)]
    assert coming == ["I morgen", "Om to dage"]
    assert titles(folded) == ["I går", "For en uge siden"]
    assert "2 tidligere arrangementer" in folded.xpath("./summary")[0].text_content()


def test_an_event_running_now_is_still_coming(leader_client):
    now = timezone.now()
    EventFactory(title="Kører nu", starts_at=now - DAY, ends_at=now + DAY)

    doc = page(leader_client, "/arrangementer/")

    assert not doc.xpath("//details")
    assert "Kører nu" in doc.text_content()


def test_each_event_shows_type_audience_hosts_place_and_time(leader_client):
    EventFactory(
        kind=Event.Kind.WEBINAR,
        title="Webinar om ØiR",
        audience="KOMBIT-programleder",
        hosts="Chefkonsulent Iver Winther",
        place="Online",
        starts_at=datetime.datetime(2030, 6, 7, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 6, 7, 9, tzinfo=datetime.UTC),
    )

    doc = page(leader_client, "/arrangementer/")

    card = doc.xpath("//li[starts-with(@id, 'arrangement-')]")[0]
    facts = {
        dt.text_content(): " ".join(dt.getnext().text_content().split())
        for dt in card.xpath(".//dt")
    }
    assert card.xpath("./h3")[0].text_content() == "Webinar om ØiR"
    assert facts == {
        "Type": "Webinar",
        "Tid": "fredag 7. juni 2030 kl. 10.00–11.00",  # Copenhagen time
        "Sted": "Online",
        "Målgruppe": "KOMBIT-programleder",
        "Fra KOMBIT": "Chefkonsulent Iver Winther",
    }


def test_no_events_says_so(leader_client):
    assert "Ingen kommende arrangementer" in page(leader_client, "/arrangementer/").text_content()


def test_the_ics_file_parses_and_carries_the_event(leader_client):
    event = EventFactory(
        title="Webinar om Fordelingskomponenten",
        audience="KOMBIT-programleder",
        hosts="Jens Jørn Nielsen",
        place="Webinar",
        starts_at=datetime.datetime(2030, 6, 20, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 6, 20, 9, tzinfo=datetime.UTC),
        project=ProjectFactory(),
    )

    response = leader_client.get(f"/arrangementer/{event.pk}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Webinar om Fordelingskomponenten"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["LOCATION"]) == "Webinar"
    assert "Jens Jørn Nielsen" in str(vevent["DESCRIPTION"])
    assert str(vevent["UID"])
    assert vevent.get("DTSTAMP")


def test_an_event_without_an_end_gets_a_one_hour_slot(leader_client):
    event = EventFactory()

    calendar = icalendar.Calendar.from_ical(
        leader_client.get(f"/arrangementer/{event.pk}.ics").content
    )

    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == datetime.timedelta(hours=1)


def test_an_unknown_event_file_is_404(leader_client):
    assert leader_client.get("/arrangementer/999999.ics").status_code == 404


def test_the_events_page_and_file_need_a_login(db, client):
    event = EventFactory()

    assert client.get("/arrangementer/").status_code == 302
    assert client.get(f"/arrangementer/{event.pk}.ics").status_code == 302


@pytest.mark.parametrize("size", [1, 10])
def test_the_events_page_runs_a_fixed_number_of_queries(
    size, leader_client, django_assert_num_queries
):
    now = timezone.now()
    for i in range(size):
        EventFactory(starts_at=now + (i + 1) * DAY, project=ProjectFactory())
        EventFactory(starts_at=now - (i + 1) * DAY, project=ProjectFactory())

    with django_assert_num_queries(5):
        assert leader_client.get("/arrangementer/").status_code == 200
