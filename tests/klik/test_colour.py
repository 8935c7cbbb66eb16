"""The KLIK traffic light, rule by rule and at every boundary, computed in the database."""

import datetime

import pytest

from klik.models import Colour, MunicipalityTask, State
from tests.factories import PersonFactory, municipality_task

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staffed(naestved):
    """Returns a function making a fully staffed Næstved task with the given dates and state."""

    def make(*, start=None, deadline=None, state=State.IN_PROGRESS, needs_help=False, **kw):
        mt = municipality_task(
            naestved, published_on=TODAY - 30 * DAY, starts_on=start, deadline=deadline
        )
        mt.responsible = kw.get("responsible", PersonFactory(municipality=naestved))
        mt.executor = kw.get("executor", PersonFactory(municipality=naestved))
        mt.state = state
        mt.needs_help = needs_help
        mt.save()
        return mt

    return make


def colour_of(mt, today=TODAY):
    return MunicipalityTask.objects.with_colour(today).get(pk=mt.pk).colour


def test_done_is_green_even_after_the_deadline(staffed):
    assert colour_of(staffed(deadline=TODAY - 10 * DAY, state=State.DONE)) == Colour.GREEN


def test_done_is_green_even_before_the_start(staffed):
    assert colour_of(staffed(start=TODAY + DAY, state=State.DONE)) == Colour.GREEN


def test_not_yet_started_task_is_grey(staffed):
    assert colour_of(staffed(start=TODAY + DAY, deadline=TODAY + 60 * DAY)) == Colour.GREY


def test_task_starting_today_is_no_longer_grey(staffed):
    assert colour_of(staffed(start=TODAY, deadline=TODAY + 60 * DAY)) == Colour.GREEN


def test_blocked_before_the_start_is_grey(staffed):
    assert colour_of(staffed(start=TODAY + DAY, state=State.BLOCKED)) == Colour.GREY


def test_blocked_after_the_start_is_red(staffed):
    assert colour_of(staffed(start=TODAY, deadline=TODAY + 60 * DAY, state=State.BLOCKED)) == (
        Colour.RED
    )


def test_deadline_yesterday_is_red(staffed):
    assert colour_of(staffed(deadline=TODAY - DAY)) == Colour.RED


def test_deadline_today_is_not_red(staffed):
    assert colour_of(staffed(deadline=TODAY)) == Colour.GREEN
    assert colour_of(staffed(deadline=TODAY, state=State.NOT_STARTED)) == Colour.YELLOW


def test_missing_start_date_falls_back_to_the_published_date(naestved):
    mt = municipality_task(naestved, published_on=TODAY + DAY)
    assert colour_of(mt) == Colour.GREY
    assert colour_of(mt, today=TODAY + DAY) == Colour.YELLOW  # unstaffed once started


def test_missing_deadline_is_never_red_by_date(staffed):
    assert colour_of(staffed(deadline=None), today=TODAY + 3650 * DAY) == Colour.GREEN


@pytest.mark.parametrize("missing", ["responsible", "executor"])
def test_task_without_responsible_or_executor_is_yellow(staffed, missing):
    assert colour_of(staffed(deadline=TODAY + 60 * DAY, **{missing: None})) == Colour.YELLOW


def test_needs_help_is_yellow(staffed):
    assert colour_of(staffed(deadline=TODAY + 60 * DAY, needs_help=True)) == Colour.YELLOW


def test_not_started_with_exactly_warning_days_left_is_yellow(staffed, settings):
    settings.KLIK_WARNING_DAYS = 14
    mt = staffed(deadline=TODAY + 14 * DAY, state=State.NOT_STARTED)
    assert colour_of(mt) == Colour.YELLOW


def test_not_started_with_one_day_more_than_warning_days_is_green(staffed, settings):
    settings.KLIK_WARNING_DAYS = 14
    mt = staffed(deadline=TODAY + 15 * DAY, state=State.NOT_STARTED)
    assert colour_of(mt) == Colour.GREEN


def test_in_progress_close_to_the_deadline_stays_green(staffed):
    assert colour_of(staffed(deadline=TODAY + 2 * DAY, state=State.IN_PROGRESS)) == Colour.GREEN


def test_warning_days_setting_is_respected(staffed, settings):
    settings.KLIK_WARNING_DAYS = 30
    mt = staffed(deadline=TODAY + 20 * DAY, state=State.NOT_STARTED)
    assert colour_of(mt) == Colour.YELLOW


def test_colour_rank_orders_by_severity(staffed):
    red = staffed(deadline=TODAY - DAY)
    grey = staffed(start=TODAY + DAY)
    green = staffed(deadline=TODAY + 60 * DAY)
    yellow = staffed(deadline=TODAY + 60 * DAY, needs_help=True)
    ordered = MunicipalityTask.objects.with_colour(TODAY).order_by("colour_rank")
    assert [m.pk for m in ordered] == [red.pk, yellow.pk, green.pk, grey.pk]


def test_colour_counts_include_every_colour_in_one_query(staffed, django_assert_num_queries):
    staffed(deadline=TODAY - DAY)
    staffed(deadline=TODAY - 2 * DAY)
    staffed(start=TODAY + DAY)
    with django_assert_num_queries(1):
        counts = MunicipalityTask.objects.with_colour(TODAY).colour_counts()
    assert counts == {"red": 2, "yellow": 0, "green": 0, "grey": 1}
