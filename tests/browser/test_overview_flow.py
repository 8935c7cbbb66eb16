"""A programme leader clicks through the dashboard and the implementation overview."""

import re

import pytest
from django.core.management import call_command

from portfolio.models import Municipality
from tests.factories import ProgrammeLeaderFactory


@pytest.fixture
def deck_leader():
    call_command("load_facts", verbosity=0)
    return ProgrammeLeaderFactory(
        username="naestved", municipality=Municipality.objects.get(code="370")
    )


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button:has-text('Log ind')")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_goes_from_the_red_count_to_the_list_and_through_the_overview(
    deck_leader, live_server, page
):
    log_in(page, live_server, "naestved")

    # The deck's BBR tasks were due 1/11-2018 with nobody on them: Næstved has 5 red.
    red = page.locator("a.klik-count[data-colour=red]")
    assert red.locator(".klik-count-number").inner_text() == "5"
    with page.expect_navigation() as navigation:
        red.click()
    assert page.url == f"{live_server.url}/klik/?status=red"
    assert navigation.value.status == 200

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Overblik").click()
    page.wait_for_url(f"{live_server.url}/overblik/")
    page.get_by_role("link", name="STS Adgangsstyring", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/overblik/sts-adgangsstyring/")
    assert page.get_by_role("heading", level=1).inner_text() == "STS Adgangsstyring"

    row = page.locator("tr[data-interface=SF1511]")
    assert re.search(r"DAR\s*\(gennemført\)", row.inner_text())
    row.locator("a[data-project=bbr]").click()
    page.wait_for_url(f"{live_server.url}/projekter/bbr/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("BBR")
    assert "Kommunerne beslutter selv, klar senest 1. november 2018" in page.inner_text("main")
