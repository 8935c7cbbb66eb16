"""The programme leader's round trip in Chromium: export, edit in Excel (openpyxl here),
upload, read the dry run, confirm, and find the new responsible on the task page."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from klik.models import Colour, MunicipalityTask
from tests.browser.pages import open_page, sideways
from tests.factories import PersonFactory, ProgrammeLeaderFactory
from tests.klik.conftest import publish

WIDTHS = (390, 1366)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_leader_exports_edits_uploads_confirms_and_sees_the_new_responsible(
    live_server, browser, naestved, width, tmp_path
):
    anna = PersonFactory(municipality=naestved, name="Anna Andersen", email="anna@naestved.dk")
    leader = ProgrammeLeaderFactory(username="naestved-import", municipality=naestved)
    task = publish(Colour.YELLOW, naestved, title="Opgave til importen")
    publish(Colour.YELLOW, naestved, title="Opgave, der ikke ændres")

    page = open_page(browser, live_server, leader, width, "/klik/")

    with page.expect_download() as download:
        page.locator("#export-link").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["KLIK-opgaver"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Link")].value.rstrip("/").endswith(f"/{task.pk}"):
            row[header.index("Ansvarlig")].value = "anna@naestved.dk"
    edited = tmp_path / "redigeret.xlsx"
    workbook.save(edited)

    page.locator("[data-nav=import]").click()
    expect(page.get_by_role("heading", name="Importér KLIK-opgaver")).to_be_visible()
    assert sideways(page) <= 0
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(edited)
    page.get_by_role("button", name="Upload og kontrollér").click()

    expect(page.get_by_role("heading", name="Kontrollér importen")).to_be_visible()
    expect(page.get_by_text("Prøvekørsel: intet er skrevet endnu.")).to_be_visible()
    expect(page.locator("[data-outcome=updated]").first).to_have_text("1")
    expect(page.locator("[data-import-rows=changed]")).to_contain_text("«Anna Andersen»")
    assert sideways(page) <= 0
    assert MunicipalityTask.objects.get(pk=task.pk).responsible_id != anna.pk  # a dry run

    page.get_by_role("button", name="Bekræft importen").click()
    expect(page.get_by_text("Importen blev gemt: 0 oprettet, 1 opdateret.")).to_be_visible()

    page.goto(f"{live_server.url}/klik/{task.pk}/")
    expect(page.get_by_label("Ansvarlig")).to_have_value(str(anna.pk))
    expect(page.locator("#id_responsible option:checked")).to_have_text("Anna Andersen")
    page.context.close()
