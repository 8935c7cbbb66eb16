"""Issue 13: the pages taken to a steering-group meeting print, and say so with a button.

The print stylesheet itself is checked for its rules here; tests/browser/test_print.py prints
the pages to PDF and reads them back."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from klik.models import MunicipalityTask
from tests.factories import SupportSystemFactory, TaskFactory

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
BUTTON = re.compile(
    r"<button type=\"button\"[^>]*\bdata-print\b[^>]*\bhidden\b[^>]*>Udskriv</button>"
)


@pytest.fixture
def print_pages(naestved):
    """The five printable pages, with a task of Næstved and a support system to show."""
    system = SupportSystemFactory(slug="sts", name="STS Adgangsstyring")
    task = TaskFactory(support_system=system)
    mt = MunicipalityTask.objects.get(task=task, municipality=naestved)
    return {
        "/klik/": True,
        f"/klik/{mt.pk}/": False,
        "/overblik/": True,
        "/overblik/sts/": True,
        "/roller/bemanding/": True,
    }


@pytest.mark.parametrize("user", ["leader", "kombit"])
def test_every_printable_page_has_an_udskriv_button_hidden_until_javascript_shows_it(
    clients, print_pages, user
):
    for path, wide in print_pages.items():
        html = clients[user].get(path).content.decode()
        assert len(BUTTON.findall(html)) == 1, path
        # Wide tables print landscape (the named page of print.css), a task portrait.
        assert ("app-print-wide" in html) is wide, path


def test_the_button_is_wired_by_the_static_script_not_inline():
    script = (STATIC / "js" / "app.js").read_text()
    assert "[data-print]" in script and "window.print()" in script
    assert "button.hidden = false" in script


def test_every_page_loads_the_print_stylesheet(leader_client):
    html = leader_client.get("/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css', html)


def test_the_print_stylesheet_sets_pages_hides_navigation_repeats_headers_and_prints_fills():
    css = (STATIC / "css" / "print.css").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4 portrait", css)
    assert re.search(r"@page wide\s*\{\s*size:\s*A4 landscape", css)
    assert re.search(r"\.app-print-wide\s*\{\s*page:\s*wide", css)
    rules = css.split("@media print", 1)[1]
    hidden = rules.split("{", 1)[1].split("display: none", 1)[0]
    for selector in (".header", ".app-footer", "form", ".button", "button", ".breadcrumbs"):
        assert re.search(rf"(^|[\s,]){re.escape(selector)}([\s,]|$)", hidden), selector
    assert re.search(r"thead\s*\{\s*display:\s*table-header-group", rules)
    assert "print-color-adjust: exact" in rules
    assert re.search(r"overflow:\s*visible", rules)
