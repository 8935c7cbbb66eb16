"""Issue 13: /klik/ and /roller/bemanding/ print for the steering-group meeting. Chromium prints
them to PDF with the page size of print.css; the PDF's text has no navigation, filters or
buttons, and every column of the table is on the page."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.browser.pages import open_page

# A4 landscape less print.css's 10 mm margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH = int((297 - 2 * 10) / 25.4 * 96)
# What only the screen has: the menu, the user box, the filters, the buttons and the footer.
SCREEN_ONLY = (
    "Importér",
    "Log ud",
    "Rollegalleri",
    "Arrangementer",
    "Filtrér",
    "Nulstil filtre",
    "Eksportér til Excel",
    "Udskriv",
    "Tilgængelighedserklæring",
)


@pytest.fixture
def demo(db):
    """The deck's facts and the demo data, with its logins (password = username)."""
    call_command("load_facts", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


def printed(page):
    """The page printed as Chromium prints it: (its PDF's pages, their text)."""
    reader = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True)))
    return reader.pages, "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "table"),
    [("/klik/", "table.klik-table"), ("/roller/bemanding/", "table.rollegalleri-matrix")],
)
def test_a_programme_leader_prints_the_page_landscape_without_navigation_and_every_column(
    browser, live_server, demo, path, table
):
    page = open_page(browser, live_server, "naestved", PRINTABLE_WIDTH, path, password="naestved")
    assert page.get_by_role("button", name="Udskriv").is_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Udskriv").is_hidden()
    widths = page.evaluate(
        """(selector) => { const t = document.querySelector(selector);
           return [t.scrollWidth, t.getBoundingClientRect().right,
                   document.documentElement.scrollWidth]; }""",
        table,
    )
    assert max(widths) <= PRINTABLE_WIDTH, widths
    last_header = page.locator(f"{table} thead th").last.inner_text().strip()

    pages, text = printed(page)
    width, height = pages[0].mediabox.width, pages[0].mediabox.height
    assert width > height  # landscape
    assert round(float(width) / 72 * 25.4) == 297  # A4
    for words in SCREEN_ONLY:
        assert words not in text, words
    assert last_header and last_header in text
    # The table runs over more than one page, and each page repeats its header row.
    assert len(pages) > 1
    assert all(last_header in p.extract_text() for p in pages)
    # Colour is never alone: the status words are printed.
    assert "Ubesat" in text if "bemanding" in path else "Rød" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_task_prints_portrait_without_its_form(browser, live_server, demo):
    from klik.models import MunicipalityTask

    mt = MunicipalityTask.objects.filter(municipality__code="370").order_by("pk").first()
    path = f"/klik/{mt.pk}/"
    page = open_page(browser, live_server, "naestved", 1366, path, password="naestved")
    pages, text = printed(page)
    assert pages[0].mediabox.width < pages[0].mediabox.height
    assert mt.task.title.split()[0] in text
    for words in (*SCREEN_ONLY, "Gem", "Opdatér opgaven", "Alle KLIK-opgaver"):
        assert words not in text, words
