"""The programme leader's work list in Chromium, at a laptop's and a phone's width."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from klik.models import Colour, MunicipalityTask, State
from tests.browser.pages import open_page
from tests.factories import PersonFactory, ProgrammeLeaderFactory
from tests.klik.conftest import publish
from tests.klik.test_detail import form_data

WIDTHS = (390, 1366)


@pytest.fixture
def leader(naestved):
    """Næstved's programme leader (password "pw") with Anna and Bo to put on tasks."""
    PersonFactory(municipality=naestved, name="Anna Ansvarlig")
    PersonFactory(municipality=naestved, name="Bo Udfører")
    return ProgrammeLeaderFactory(username="naestved-browser", municipality=naestved)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_needs_help_checkbox_is_visible_and_toggles_with_space(
    live_server, browser, naestved, leader, width
):
    mt = publish(Colour.GREEN, naestved, title="Opsæt adgang")
    page = open_page(browser, live_server, leader, width, f"/klik/{mt.pk}/")
    box = page.get_by_label("Behøver hjælp")
    expect(box).to_be_visible()
    label_box = page.locator("label[for=id_needs_help]").bounding_box()
    # DKFDS draws the box in the label's ::before; it must have room left of the text.
    assert label_box["width"] > 0 and label_box["x"] >= 0
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Opgaven er gemt.")).to_be_visible()
    expect(page.locator("[data-field=needs_help]")).to_have_text("Ja")
    expect(page.locator(".klik-detail-status .klik-chip")).to_have_text("! Gul")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_stale_save_moves_focus_to_the_error_summary(
    live_server, browser, naestved, leader, width
):
    mt = publish(Colour.GREEN, naestved, title="Opsæt adgang")
    page = open_page(browser, live_server, leader, width, f"/klik/{mt.pk}/")
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{mt.pk}/", form_data(mt, note="Først", state=State.BLOCKED))
    page.get_by_label("Note", exact=True).fill("Bagefter")
    page.get_by_role("button", name="Gem").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Dine ændringer blev ikke gemt")
    expect(summary).to_contain_text("Først")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Bagefter")
    assert MunicipalityTask.objects.get(pk=mt.pk).note == "Først"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_leader_assigns_five_yellow_tasks_in_one_go_and_they_turn_green(
    live_server, browser, naestved, leader, width
):
    yellow = [publish(Colour.YELLOW, naestved, title=f"Gul opgave {n}") for n in range(5)]
    publish(Colour.YELLOW, naestved, title="Gul, ikke valgt")
    page = open_page(browser, live_server, leader, width, "/klik/?status=yellow")
    for mt in yellow:
        page.locator(f"#select-{mt.pk}").check()
        expect(page.locator(f"#select-{mt.pk}")).to_be_checked()
    bulk = page.locator("#bulk-form")
    bulk.get_by_label("Ansvarlig").select_option(label="Anna Ansvarlig")
    bulk.get_by_label("Udfører").select_option(label="Bo Udfører")
    bulk.get_by_role("button", name="Gennemse ændringerne").click()
    expect(page.get_by_role("heading", name="Bekræft ændringerne")).to_be_visible()
    expect(page.get_by_text("5 opgaver bliver ændret")).to_be_visible()
    page.get_by_role("button", name="Gem ændringerne").click()
    page.wait_for_url("**/klik/?status=yellow")
    expect(page.get_by_text("5 opgaver er gemt.")).to_be_visible()
    expect(page.locator("table.klik-table tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/klik/?status=green")
    rows = page.locator("table.klik-table tbody tr")
    expect(rows).to_have_count(5)
    for n in range(5):
        row = rows.nth(n)
        expect(row.locator("td.status")).to_have_text("✔ Grøn")
        expect(row.locator("td.responsible")).to_contain_text("Anna Ansvarlig")
        expect(row.locator("td.executor")).to_contain_text("Bo Udfører")
        for cell in ("responsible", "executor"):
            box = row.locator(f"td.{cell}").bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= width  # no sideways scroll
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_saved_filter_opened_from_mine_filtre_gives_the_same_rows(
    live_server, browser, naestved, leader, width
):
    for colour in (Colour.RED, Colour.RED, Colour.YELLOW, Colour.GREEN):
        publish(colour, naestved)
    page = open_page(browser, live_server, leader, width, "/klik/")
    page.locator("label[for=id_status_0]").click()  # Rød
    page.get_by_role("button", name="Filtrér").click()
    page.wait_for_url("**/klik/?*status=red*")
    rows = page.locator("table.klik-table tbody tr")
    before = rows.evaluate_all("rows => rows.map(r => r.dataset.task)")
    assert len(before) == 2
    page.get_by_label("Filterets navn").fill("Røde opgaver")
    page.get_by_role("button", name="Gem filter").click()
    expect(page.get_by_text("Filteret “Røde opgaver” er gemt.")).to_be_visible()

    page.goto(f"{live_server.url}/")  # leave, then come back through "Mine filtre"
    mine = page.locator("[data-saved-filters]")
    mine.get_by_role("link", name="Røde opgaver", exact=True).click()
    page.wait_for_url("**/klik/?*status=red*")
    expect(rows).to_have_count(2)
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.task)") == before
