"""One Danish date style (issue 13): in tables `dd.mm.yyyy`, in prose "1. november 2018", through
the locale, never an English month. A scan of the visible text of every page of ours (the access
matrix's pages) as each signed-in role, with the demo-like objects the matrix makes."""

import re

import pytest
from django.test import Client
from lxml import html

from tests.access.matrix import ROWS, all_patterns, expected, objects_make, url_for

pytestmark = pytest.mark.django_db

DANISH_MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
)
MONTH_WORD = r"(?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-zæøå]*\.?"
# Anything shaped like a date: digits with separators, or a day and a month word and a year.
NUMERIC = re.compile(r"(?<![\w.])\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?![\w])")
WORDED = re.compile(rf"(?<!\w)\d{{1,2}}\.?\s*{MONTH_WORD}\s+\d{{4}}", re.IGNORECASE)
TABLE_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
PROSE_DATE = re.compile(rf"\d{{1,2}}\. (?:{DANISH_MONTHS}) \d{{4}}")


def offending_dates(text):
    """The date-like strings in `text` that are in neither of the two styles."""
    bad = [m.group() for m in NUMERIC.finditer(text) if not TABLE_DATE.fullmatch(m.group())]
    bad += [m.group() for m in WORDED.finditer(text) if not PROSE_DATE.fullmatch(m.group())]
    return bad


def visible_text(content):
    doc = html.fromstring(content)
    for node in doc.xpath("//script | //style | //template"):
        node.drop_tree()
    return doc.text_content()


@pytest.mark.parametrize(
    "text, bad",
    [
        ("frist 01.11.2018 og 1. november 2018", []),
        ("1. Nov 2018", ["1. Nov 2018"]),
        ("11. jan. 2027", ["11. jan. 2027"]),
        ("2026-12-04", ["2026-12-04"]),
        ("1/11/2018", ["1/11/2018"]),
        ("1.11.2018", ["1.11.2018"]),
        ("1. November 2018", ["1. November 2018"]),
        ("SF1511 (2019), kl. 14.00–15.00, v1.0", []),
    ],
)
def test_the_scanner_knows_the_two_styles(text, bad):
    assert offending_dates(text) == bad


@pytest.mark.parametrize("role", ["admin", "kombit", "leader"])
def test_every_page_shows_dates_in_one_of_the_two_styles(naestved, hoersholm, role):
    objects = objects_make(naestved, hoersholm)
    client = Client()
    client.force_login(objects.users[role])
    found, visited, styles = {}, 0, {"table": 0, "prose": 0}
    for pattern in all_patterns():
        if not ROWS[pattern.key].page or expected(pattern, role, "GET") != 200:
            continue
        url = url_for(pattern, objects)
        response = client.get(url)
        assert response.status_code == 200, url
        visited += 1
        text = visible_text(response.content)
        styles["table"] += len(TABLE_DATE.findall(text))
        styles["prose"] += len(PROSE_DATE.findall(text))
        if bad := offending_dates(text):
            found[url] = bad
    assert visited >= 15
    assert styles["table"] and styles["prose"]  # the scan saw dates of both styles
    assert found == {}
