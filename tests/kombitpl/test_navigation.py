"""The main menu in base.html: where each entry leads, and which one marks the page's section."""

import re

import pytest
from django.urls import reverse

from tests.factories import SupportSystemFactory, municipality_task


def current_entries(html):
    """The menu entries marked as the current page, by their link."""
    return re.findall(r'<a href="([^"]+)" class="nav-link current" aria-current="page">', html)


def test_the_main_menu_links_to_each_section(leader_client):
    html = leader_client.get(reverse("overblik:dashboard")).content.decode()
    for path in ("/overblik/", "/klik/", "/roller/", "/arrangementer/"):
        assert f'<a href="{path}" class="nav-link' in html
    assert current_entries(html) == []


@pytest.mark.parametrize(
    ("page", "section"),
    [
        (lambda mt: reverse("klik:list"), "/klik/"),
        (lambda mt: mt.get_absolute_url(), "/klik/"),
        (lambda mt: reverse("overblik:overview"), "/overblik/"),
        (lambda mt: mt.task.support_system.get_absolute_url(), "/overblik/"),
        (lambda mt: reverse("overblik:event_list"), "/arrangementer/"),
        (lambda mt: reverse("rollegalleri:list"), "/roller/"),
        (lambda mt: reverse("rollegalleri:staffing"), "/roller/"),
    ],
)
def test_the_main_menu_marks_the_section_the_page_belongs_to(
    leader_client, naestved, page, section
):
    mt = municipality_task(naestved, support_system=SupportSystemFactory())
    response = leader_client.get(page(mt))
    assert response.status_code == 200
    assert current_entries(response.content.decode()) == [section]
