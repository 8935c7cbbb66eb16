"""Keyboard only: tab through the KLIK filters, apply them, open a task, change its state and
save — never the mouse. Every step checks where the focus is, as a keyboard user sees it."""

import pytest
from playwright.sync_api import expect

from klik.models import Colour, MunicipalityTask, State
from tests.factories import ProgrammeLeaderFactory
from tests.klik.conftest import publish

# Enough presses to pass the header, the menu and every filter, never an endless loop.
MAX_TABS = 120


def tab_to(page, selector):
    """Press Tab until the focused element matches `selector`; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_filter_open_change_and_save_a_task_with_the_keyboard_only(live_server, browser, naestved):
    leader = ProgrammeLeaderFactory(username="naestved-tastatur", municipality=naestved)
    red = publish(Colour.RED, naestved, title="Rød opgave til tastaturet")
    publish(Colour.GREEN, naestved, title="Grøn opgave, der filtreres væk")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/klik/")
    page.keyboard.press("Tab")  # the skip link comes first
    tab_to(page, "input[name=username]")
    page.keyboard.type(leader.username)
    page.keyboard.press("Tab")
    page.keyboard.type("pw")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klik/")

    # The status filter: a checkbox per colour; space ticks "Rød".
    tab_to(page, "input[name=status][value=red]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=status][value=red]")).to_be_checked()
    tab_to(page, "form.klik-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/klik/?*status=red*")
    rows = page.locator("table.klik-table tbody tr")
    expect(rows).to_have_count(1)

    tab_to(page, f'table.klik-table a[href="/klik/{red.pk}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klik/{red.pk}/")

    tab_to(page, "#id_state")
    # A select changes with the arrow keys while it has the focus, without opening it.
    for _ in range(4):
        if page.locator("#id_state").input_value() == State.IN_PROGRESS:
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_state")).to_have_value(State.IN_PROGRESS)
    tab_to(page, "form.klik-edit button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgaven er gemt.")).to_be_visible()
    assert MunicipalityTask.objects.get(pk=red.pk).state == State.IN_PROGRESS
    context.close()
