"""The daily colour counts and the "Udviklingen" chart drawn from them."""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from klik.models import MunicipalityTask, State
from notifikationer.models import ColourCount
from notifikationer.services import trend_backfill, trend_record
from tests.factories import PersonFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db
NOVEMBER = [datetime.date(2026, 11, 1) + timedelta(days=d) for d in range(30)]


def at_morning(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(5)))


@pytest.fixture
def month_of_tasks(naestved, hoersholm):
    """Næstved tasks that turn red one by one in November, one that starts mid-month."""
    project = ProjectFactory(slug="bbr", short_name="BBR")
    person = PersonFactory(municipality=naestved)
    published = datetime.date(2026, 10, 1)
    for deadline in (5, 12, 20):
        TaskFactory(
            project=project, published_on=published, deadline=datetime.date(2026, 11, deadline)
        )
    TaskFactory(
        project=project,
        published_on=published,
        starts_on=datetime.date(2026, 11, 15),
        deadline=datetime.date(2027, 3, 1),
    )
    MunicipalityTask.objects.filter(municipality=naestved).update(
        responsible=person, executor=person, state=State.IN_PROGRESS
    )
    return project


def record_november():
    for day in NOVEMBER:
        with time_machine.travel(at_morning(day), tick=False):
            call_command("send_notifications", verbosity=0)


def totals(day, **filters):
    rows = ColourCount.objects.filter(day=day, **filters)
    return {c: sum(getattr(r, c) for r in rows) for c in ("red", "yellow", "green", "grey")}


def test_a_simulated_month_fills_one_days_counts_per_municipality_and_project(
    naestved, month_of_tasks
):
    record_november()
    assert sorted(set(ColourCount.objects.values_list("day", flat=True))) == NOVEMBER
    for day in NOVEMBER:
        expected = (
            MunicipalityTask.objects.filter(municipality=naestved).with_colour(day).colour_counts()
        )
        assert totals(day, municipality=naestved) == expected, day
    assert totals(datetime.date(2026, 11, 4), municipality=naestved)["red"] == 0
    assert totals(datetime.date(2026, 11, 30), municipality=naestved)["red"] == 3


def test_recording_a_day_twice_changes_nothing(naestved, month_of_tasks):
    day = datetime.date(2026, 11, 13)
    first = trend_record(day=day)
    again = trend_record(day=day)
    assert first == again == ColourCount.objects.filter(day=day).count()


def test_the_dashboard_chart_matches_the_recorded_counts(client, leader, naestved, month_of_tasks):
    record_november()
    client.force_login(leader)
    with time_machine.travel(at_morning(datetime.date(2026, 12, 1)), tick=False):
        html = client.get(reverse("overblik:dashboard")).content.decode()
    assert "Udviklingen" in html
    for monday, sunday in [("2026-11-09", 15), ("2026-11-16", 22), ("2026-11-23", 29)]:
        expected = totals(datetime.date(2026, 11, sunday), municipality=naestved)
        row = re.search(rf'<tr data-week="{monday}">(.*?)</tr>', html, re.S).group(1)
        for colour, count in expected.items():
            assert f'<td data-segment="{colour}">{count}</td>' in row, (monday, colour)
        bar = re.search(rf'<g class="chart-bar" data-week="{monday}"[^>]*>(.*?)</g>', html, re.S)
        drawn = dict(re.findall(r'data-segment="(\w+)" data-count="(\d+)"', bar.group(1)))
        assert drawn == {c: str(n) for c, n in expected.items() if n}
    # the weeks before recording began say so instead of showing zeros
    assert re.search(r'<tr data-week="2026-08-03">.*?Ikke registreret', html, re.S)


def test_kombit_staff_see_the_nations_trend_and_the_project_page_its_own(
    client, kombit, naestved, hoersholm, month_of_tasks
):
    other = TaskFactory(
        published_on=datetime.date(2026, 10, 1), deadline=datetime.date(2026, 11, 2)
    )
    record_november()
    client.force_login(kombit)
    with time_machine.travel(at_morning(datetime.date(2026, 12, 1)), tick=False):
        dashboard = client.get(reverse("overblik:dashboard")).content.decode()
        project = client.get(month_of_tasks.get_absolute_url()).content.decode()
    nation = totals(datetime.date(2026, 11, 29))
    assert f'data-week="2026-11-23" data-total="{sum(nation.values())}"' in dashboard
    bbr = totals(datetime.date(2026, 11, 29), project=month_of_tasks)
    assert f'data-week="2026-11-23" data-total="{sum(bbr.values())}"' in project
    assert sum(bbr.values()) < sum(nation.values())
    assert other.project != month_of_tasks


def test_a_municipal_user_sees_only_their_municipalitys_trend(
    client, other_leader, naestved, hoersholm, month_of_tasks
):
    record_november()
    client.force_login(other_leader)
    with time_machine.travel(at_morning(datetime.date(2026, 12, 1)), tick=False):
        html = client.get(reverse("overblik:dashboard")).content.decode()
    own = totals(datetime.date(2026, 11, 29), municipality=hoersholm)
    assert f'data-week="2026-11-23" data-total="{sum(own.values())}"' in html
    # Hørsholm's copies were never staffed: yellow, then red, never Næstved's greens
    assert own["green"] == 0


def test_backfill_fills_each_missing_week_once(naestved, month_of_tasks):
    today = datetime.date(2026, 12, 2)
    assert trend_backfill(today=today, weeks=8) == 8
    assert trend_backfill(today=today, weeks=8) == 0
    days = set(ColourCount.objects.values_list("day", flat=True))
    assert datetime.date(2026, 11, 29) in days and len(days) == 8
