"""KLIK test data: tasks of every colour, relative to today so the traffic light is real."""

import datetime

import pytest
from django.utils import timezone

from klik.models import Colour, MunicipalityTask, State
from tests.factories import PersonFactory, TaskFactory

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def task_fields(colour):
    """Task dates that, with `colour_setup`, give `colour` today."""
    now = today()
    return {
        Colour.RED: {"deadline": now - DAY},
        Colour.YELLOW: {"deadline": now + 60 * DAY},
        Colour.GREEN: {"deadline": now + 60 * DAY},
        Colour.GREY: {"starts_on": now + 10 * DAY, "deadline": now + 90 * DAY},
    }[colour]


def colour_setup(mt, colour):
    """Staff and set the state of a municipality task so its colour is `colour`."""
    if colour != Colour.YELLOW:
        mt.responsible = PersonFactory(municipality=mt.municipality)
        mt.executor = PersonFactory(municipality=mt.municipality)
    mt.state = State.IN_PROGRESS
    mt.save()
    return mt


def publish(colour, municipality, **task_fields_):
    """Publish a task and set `municipality`'s copy to `colour`; returns that copy."""
    task = TaskFactory(**{**task_fields(colour), **task_fields_})
    mt = MunicipalityTask.objects.get(task=task, municipality=municipality)
    return colour_setup(mt, colour)


@pytest.fixture
def make_task(naestved):
    """make_task(colour, municipality=naestved, **task fields) → that municipality's copy."""

    def make(colour=Colour.GREEN, municipality=None, **fields):
        return publish(colour, municipality or naestved, **fields)

    return make


@pytest.fixture
def rainbow(make_task):
    """Two Næstved tasks of each colour: {colour: [mt, mt]}."""
    return {c: [make_task(c), make_task(c)] for c in Colour.values}
