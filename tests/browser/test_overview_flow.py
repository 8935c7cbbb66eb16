"""A programme leader clicks through the dashboard and the implementation overview."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portfolio.models import Municipality
from tests.factories import ProgrammeLeaderFactory


@pytest.fixture
def deck_leader():
    call_command("load_facts", verbosity=0)
    return ProgrammeLeaderFactory(
        username="naestved", municipality=Municipality.objects.get(code="370")
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_goes_from_the_red_count_to_the_list_and_through_the_overview(
    deck_leader, live_server, logged_in_page
):
    page = logged_in_page("naestved")

    # The deck's BBR tasks were due 1/11-2018 with nobody on them: Næstved has 5 red.
    red = page.locator("a.klik-count[data-colour=red]")
    expect(red.locator(".klik-count-number")).to_have_text("5")
    with page.expect_navigation() as navigation:
        red.click()
    expect(page).to_have_url(f"{live_server.url}/klik/?status=red")
    assert navigation.value.status == 200

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Overblik").click()
    page.wait_for_url(f"{live_server.url}/overblik/")
    page.get_by_role("link", name="STS Adgangsstyring", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/overblik/sts-adgangsstyring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("STS Adgangsstyring")

    row = page.locator("tr[data-interface=SF1511]")
    expect(row).to_contain_text(re.compile(r"DAR\s*\(gennemført\)"))
    row.locator("a[data-project=bbr]").click()
    page.wait_for_url(f"{live_server.url}/projekter/bbr/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^\s*BBR"))
    expect(page.locator("main")).to_contain_text(
        "Kommunerne beslutter selv, klar senest 1. november 2018"
    )
