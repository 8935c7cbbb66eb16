"""DKFDS breadcrumbs on every page of ours but the front page (issue 13): the front page first,
a chevron between the steps (the old ones had no separator), the current page last and marked."""

import pytest
from django.test import Client
from lxml import html

from tests.access.matrix import ROWS, all_patterns, expected, objects_make, url_for

pytestmark = pytest.mark.django_db

WITHOUT = {"overblik:dashboard", "login"}


@pytest.mark.parametrize("role", ["kombit", "leader"])
def test_every_page_but_the_front_page_has_dkfds_breadcrumbs(naestved, hoersholm, role):
    objects = objects_make(naestved, hoersholm)
    client = Client()
    client.force_login(objects.users[role])
    visited, wrong = 0, {}
    for pattern in all_patterns():
        if not ROWS[pattern.key].page or expected(pattern, role, "GET") != 200:
            continue
        url = url_for(pattern, objects)
        doc = html.fromstring(client.get(url).content)
        navs = doc.xpath("//nav[contains(@class, 'breadcrumbs')]")
        if pattern.key in WITHOUT:
            if navs:
                wrong[url] = "has breadcrumbs"
            continue
        visited += 1
        if len(navs) != 1:
            wrong[url] = f"{len(navs)} breadcrumb navs"
            continue
        items = navs[0].xpath(".//li[contains(@class, 'breadcrumbs__list-item')]")
        first = items[0].xpath("./a")
        problems = []
        if not first or first[0].get("href") != "/" or first[0].text_content() != "Forside":
            problems.append("does not start at the front page")
        if len(items) < 2 or items[-1].get("aria-current") != "page" or items[-1].xpath("./a"):
            problems.append("the current page is not last")
        if len(navs[0].xpath(".//svg[contains(@class, 'icon-svg')]")) != len(items) - 1:
            problems.append("a step without its chevron")
        if not items[-1].text_content().strip():
            problems.append("the current page has no name")
        if problems:
            wrong[url] = problems
    assert visited >= 15
    assert wrong == {}
