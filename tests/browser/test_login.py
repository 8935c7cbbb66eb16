"""The programme leader logs in through the real form in Chromium and sees the dashboard."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klik.models import MunicipalityTask, State
from tests.factories import PersonFactory, ProgrammeLeaderFactory, TaskFactory

SHOTS = Path("/tmp/shots")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def naestved_leader(naestved, hoersholm):
    """The demo programme leader naestved/naestved and tasks of three colours in Næstved."""
    leader = ProgrammeLeaderFactory(
        username="naestved", municipality=naestved, password="naestved", first_name="Nanna"
    )
    today = timezone.localdate()
    TaskFactory(deadline=today - DAY)  # red
    TaskFactory.create_batch(2, deadline=today + 60 * DAY)  # yellow: nobody on them
    TaskFactory(starts_on=today + 30 * DAY, deadline=today + 90 * DAY)  # grey
    done = TaskFactory(deadline=today + 60 * DAY)
    MunicipalityTask.objects.filter(task=done).update(
        state=State.DONE, responsible=PersonFactory(municipality=naestved)
    )
    return leader


def count_of(page, colour):
    return page.locator(f'[data-colour="{colour}"] .klik-count-number')


def bullets_before(page, selector):
    """The distinct ::before contents of the matched list items (dkfds draws bullets there)."""
    script = "els => [...new Set(els.map(e => getComputedStyle(e, '::before').content))]"
    return page.eval_on_selector_all(selector, script)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_programme_leader_logs_in_and_sees_the_dashboard(live_server, page, naestved_leader):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_label("Brugernavn").fill("naestved")
    page.get_by_label("Adgangskode").fill("naestved")
    page.get_by_role("button", name="Log ind").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Næstved")
    expect(page.locator(".app-municipality")).to_contain_text("Næstved")
    for colour, number in {"red": "1", "yellow": "2", "green": "1", "grey": "1"}.items():
        expect(count_of(page, colour)).to_have_text(number)
    expect(page.locator('[data-colour="red"]')).to_contain_text("Rød")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "dashboard.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(count_of(page, "yellow")).to_be_visible()
    # dkfds hides its menu on narrow screens; ours must stay reachable on a phone.
    expect(page.get_by_role("link", name="KLIK-opgaver")).to_be_visible()
    assert (
        bullets_before(page, ".app-nav > li")
        == bullets_before(page, ".klik-counts > li")
        == ["none"]
    )
    page.screenshot(path=SHOTS / "dashboard-phone.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_keeps_the_user_on_the_login_page(live_server, page, naestved_leader):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Brugernavn").fill("naestved")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".alert-error")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "login-error.png", full_page=True)
