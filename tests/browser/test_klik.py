"""A programme leader works the KLIK list in Chromium: red facet, export, fixing a yellow task."""

import openpyxl
import pytest
from playwright.sync_api import expect

from klik.models import Colour
from tests.factories import PersonFactory, ProgrammeLeaderFactory
from tests.klik.conftest import publish


@pytest.fixture
def leader_with_tasks(naestved):
    """Næstved's programme leader (password "pw"), 3 red, 2 yellow and 2 green tasks."""
    leader = ProgrammeLeaderFactory(username="naestved-browser", municipality=naestved)
    tasks = {
        c: [publish(c, naestved, title=f"{c} opgave {n}") for n in range(n_)]
        for c, n_ in ((Colour.RED, 3), (Colour.YELLOW, 2), (Colour.GREEN, 2))
    }
    PersonFactory(municipality=naestved, name="Anna Ansvarlig")
    PersonFactory(municipality=naestved, name="Bo Udfører")
    return leader, tasks


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_programme_leader_filters_red_exports_and_fixes_a_yellow_task(
    logged_in_page, leader_with_tasks, tmp_path
):
    leader, tasks = leader_with_tasks
    page = logged_in_page(leader.username, next_url="/klik/")

    page.locator("a.klik-facet[data-colour=red]").click()
    page.wait_for_url("**/klik/?status=red")
    rows = page.locator("table.klik-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.klik-table tbody tr:not([data-colour=red])")).to_have_count(0)
    expect(page.locator("table.klik-table tbody")).not_to_contain_text("Gul")

    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    download = download_info.value
    assert download.suggested_filename.startswith("klik-opgaver-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path)["KLIK-opgaver"]
    statuses = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["Rød", "Rød", "Rød"]

    page.locator("a.klik-facet[data-colour=red]").click()  # toggles red off
    page.locator("a.klik-facet[data-colour=yellow]").click()
    page.wait_for_url("**/klik/?status=yellow")
    page.locator("table.klik-table tbody tr").first.get_by_role("link").click()
    expect(page.locator(".klik-detail-status .klik-chip")).to_have_text("! Gul")
    page.get_by_label("Ansvarlig").select_option(label="Anna Ansvarlig")
    page.get_by_label("Udfører").select_option(label="Bo Udfører")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Opgaven er gemt.")).to_be_visible()
    expect(page.locator(".klik-detail-status .klik-chip")).to_have_text("✔ Grøn")
    expect(page.locator("[data-field=responsible]")).to_have_text("Anna Ansvarlig")
    expect(page.locator(".klik-history")).to_contain_text("Bo Udfører")
