"""Issue 15 in Chromium: a programme leader creates a local task, attaches a PDF, downloads it,
and saves the task as PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from klik.models import Attachment, Task
from tests.browser.pages import open_page
from tests.factories import PersonFactory, ProgrammeLeaderFactory
from tests.klik.test_attachments import PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_programme_leader_creates_a_local_task_attaches_downloads_and_saves_it_as_pdf(
    live_server, browser, naestved, media, tmp_path
):
    leader = ProgrammeLeaderFactory(username="naestved-local", municipality=naestved)
    PersonFactory(municipality=naestved, name="Lise Lokal")
    page = open_page(browser, live_server, leader, 1280, "/klik/")

    page.locator("#new-local-task").click()
    page.get_by_label("Titel").fill("Ryd op i lokale AD-grupper")
    page.get_by_label("Slutdato").fill("2031-03-01")
    page.get_by_label("Ansvarlig").select_option(label="Lise Lokal")
    page.get_by_role("button", name="Opret den lokale opgave").click()
    expect(page.locator("h1")).to_have_text("Ryd op i lokale AD-grupper")
    expect(page.locator("#local-task-tag")).to_have_text("Lokal opgave")
    task = Task.objects.get(title="Ryd op i lokale AD-grupper")
    assert task.municipality == naestved

    source = tmp_path / "plan.pdf"
    source.write_bytes(PDF)
    page.locator("#attach-form input[type=file]").set_input_files(source)
    page.get_by_role("button", name="Vedhæft filen").click()
    expect(page.locator("#attachment-list")).to_contain_text("plan.pdf")
    assert Attachment.objects.get().municipality_task.task == task

    with page.expect_download() as download_info:
        page.locator("#attachment-list a", has_text="plan.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "plan.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF

    with page.expect_download() as pdf_info:
        page.locator("#save-pdf").click()
    pdf = pdf_info.value
    assert pdf.suggested_filename.startswith("klik-opgave-")
    out = tmp_path / pdf.suggested_filename
    pdf.save_as(out)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Ryd op i lokale AD-grupper" in text and "Lise Lokal" in text and "plan.pdf" in text
