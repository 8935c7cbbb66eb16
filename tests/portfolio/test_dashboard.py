"""The dashboard counts the KLIK colours of the user's own municipality, in fixed queries."""

import datetime
import re

import pytest
from django.utils import timezone

from klik.models import MunicipalityTask, State
from tests.factories import PersonFactory, TaskFactory, municipality_task

DAY = datetime.timedelta(days=1)
COUNT_RE = re.compile(r'data-colour="(\w+)"[^>]*>\s*<span class="klik-count-number">(\d+)</span>')


def counts_on_page(response):
    """{colour: count} as the dashboard shows it."""
    return {colour: int(n) for colour, n in COUNT_RE.findall(response.content.decode())}


@pytest.fixture
def one_of_each(naestved, hoersholm):
    """Næstved: one red, one yellow, one green, one grey task. Hørsholm: all four solved."""
    today = timezone.localdate()
    staff = {
        "responsible": PersonFactory(municipality=naestved),
        "executor": PersonFactory(municipality=naestved),
    }
    red = municipality_task(naestved, deadline=today - DAY)
    yellow = municipality_task(naestved, deadline=today + 60 * DAY)
    green = municipality_task(naestved, deadline=today + 60 * DAY)
    MunicipalityTask.objects.filter(pk=green.pk).update(state=State.IN_PROGRESS, **staff)
    municipality_task(naestved, starts_on=today + 10 * DAY, deadline=today + 60 * DAY)
    MunicipalityTask.objects.filter(municipality=hoersholm).update(state=State.DONE)
    return red, yellow


def test_the_dashboard_counts_only_the_users_own_municipality(leader_client, one_of_each):
    response = leader_client.get("/")
    assert response.status_code == 200
    assert counts_on_page(response) == {"red": 1, "yellow": 1, "green": 1, "grey": 1}


def test_the_dashboard_names_the_users_municipality(leader_client, one_of_each):
    assert "Næstved" in leader_client.get("/").content.decode()


def test_the_other_municipality_sees_its_own_counts(client, other_leader, one_of_each):
    client.force_login(other_leader)
    assert counts_on_page(client.get("/")) == {"red": 0, "yellow": 0, "green": 4, "grey": 0}


def test_kombit_staff_see_the_counts_of_all_municipalities(kombit_client, one_of_each):
    assert counts_on_page(kombit_client.get("/")) == {"red": 1, "yellow": 1, "green": 5, "grey": 1}


def test_every_colour_is_shown_with_its_danish_word(leader_client, one_of_each):
    page = leader_client.get("/").content.decode()
    for word in ("Rød", "Gul", "Grøn", "Grå"):
        assert word in page


def test_the_dashboard_runs_the_same_queries_for_5_and_50_tasks(
    leader_client, naestved, hoersholm, django_assert_max_num_queries
):
    TaskFactory.create_batch(5)
    with django_assert_max_num_queries(10) as five:
        assert counts_on_page(leader_client.get("/"))["yellow"] == 5
    TaskFactory.create_batch(45)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert counts_on_page(leader_client.get("/"))["yellow"] == 50
