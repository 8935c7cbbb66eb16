"""The dashboard's one-pass aggregates give exactly the colour each row has on that day.

Run over load_bench's small scale (every municipality, thousands of copies) and for days
before, during and after the tasks' dates, so every branch of the traffic light is met.
"""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from klik.models import Colour, MunicipalityTask, State
from overblik import charts

pytestmark = pytest.mark.django_db

DAY_OFFSETS = (-300, -60, 0, 30, 200)


@pytest.fixture
def bench_rows():
    call_command("load_bench", scale=0.02, persons_per_municipality=1, stdout=StringIO())


def colour_of(state, start, deadline, responsible, executor, needs_help, today):
    """The KLIK traffic light as DESIGN.md states it, written out once more in Python."""
    soon = today + timedelta(days=settings.KLIK_WARNING_DAYS)
    if state == State.DONE:
        return Colour.GREEN
    if start > today:
        return Colour.GREY
    if state == State.BLOCKED or (deadline is not None and deadline < today):
        return Colour.RED
    not_started_soon = state == State.NOT_STARTED and deadline is not None and deadline <= soon
    if responsible is None or executor is None or needs_help or not_started_soon:
        return Colour.YELLOW
    return Colour.GREEN


def rows_with_python_colour(today):
    fields = (
        "municipality_id",
        "task__project_id",
        "state",
        "task__starts_on",
        "task__published_on",
        "task__deadline",
        "responsible_id",
        "executor_id",
        "needs_help",
        "updated_at",
    )
    for row in MunicipalityTask.objects.values_list(*fields):
        municipality, project, state, starts_on, published_on, deadline = row[:6]
        responsible, executor, needs_help, updated_at = row[6:]
        colour = colour_of(
            state, starts_on or published_on, deadline, responsible, executor, needs_help, today
        )
        yield municipality, project, starts_on or published_on, deadline, colour, updated_at


def test_the_one_pass_tallies_equal_each_rows_colour_on_every_day(bench_rows):
    stalled_since = timezone.now() - timedelta(days=settings.KLIK_ESCALATION_DAYS)
    for offset in DAY_OFFSETS:
        today = timezone.localdate() + timedelta(days=offset)
        expected = Counter()
        for municipality, project, _start, _due, colour, updated_at in rows_with_python_colour(
            today
        ):
            expected[municipality, project, colour] += 1
            if colour in (Colour.RED, Colour.YELLOW) and updated_at <= stalled_since:
                expected[municipality, project, "stalled"] += 1
        tallies = MunicipalityTask.objects.with_colour(today).colour_tallies(stalled_since)
        got = Counter()
        for row in tallies:
            for key in [*Colour.values, "stalled"]:
                if row[key]:
                    got[row["municipality_id"], row["task__project_id"], key] = row[key]

        assert got == expected, today
        assert len({k[2] for k in got}) >= 3, today  # the day exercises several colours


def test_the_one_pass_month_chart_equals_each_rows_colour_on_every_day(bench_rows):
    for offset in DAY_OFFSETS:
        today = timezone.localdate() + timedelta(days=offset)
        first, end = charts.add_months(today, 0), charts.add_months(today, charts.MONTHS)
        expected = Counter()
        for _m, _p, start, due, colour, _u in rows_with_python_colour(today):
            for kind, day in (("starting", start), ("due", due)):
                if day is not None and first <= day < end:
                    expected[kind, day.replace(day=1), colour.value] += 1
        months = charts.months_ahead(MunicipalityTask.objects.with_colour(today), today)
        got = Counter()
        for month in months:
            for bar in (month.starting, month.due):
                for segment in bar.segments:
                    if segment.count:
                        got[bar.kind, month.first_day, segment.colour] = segment.count

        assert got == expected, today
