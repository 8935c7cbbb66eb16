"""Filter forms send no empty parameters (issue 13): with JavaScript the blank fields are left
out of the submission, without it the server redirects to the same clean URL."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from klik.models import Colour
from tests.factories import KombitStaffFactory, ProgrammeLeaderFactory
from tests.klik.conftest import publish


def submitted(page):
    return parse_qsl(urlsplit(page.url).query, keep_blank_values=True)


def log_in(context, live_server, user, path):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{path}")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_klik_filter_form_sends_only_what_was_chosen(
    live_server, browser, naestved, javascript
):
    leader = ProgrammeLeaderFactory(username="naestved-url", municipality=naestved)
    publish(Colour.RED, naestved, title="Rød opgave")
    context = browser.new_context(java_script_enabled=javascript)
    page = log_in(context, live_server, leader, "/klik/")

    page.fill("input[name=q]", "Rød")
    page.check("input[name=status][value=red]", force=True)
    page.get_by_role("button", name="Filtrér").click()
    page.wait_for_load_state()

    assert urlsplit(page.url).path == "/klik/"
    assert sorted(submitted(page)) == [("q", "Rød"), ("status", "red")]
    assert "Rød opgave" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_national_region_form_sends_only_what_was_chosen(
    live_server, browser, naestved, javascript
):
    staff = KombitStaffFactory(username="kombit-url")
    context = browser.new_context(java_script_enabled=javascript)
    page = log_in(context, live_server, staff, "/")

    page.select_option("select[name=sort]", "yellow")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state()

    assert submitted(page) == [("sort", "yellow")]
