"""Every page of the URL contract fits a phone (390 px) and a laptop (1366 px): no sideways
scroll, for a programme leader and for KOMBIT staff, on the deck's facts and the demo data."""

from io import StringIO

import pytest
from django.core.management import call_command

from klik.models import MunicipalityTask
from portfolio.models import Interface, Project, SupportSystem
from rollegalleri.models import Person, Role
from tests.browser.pages import sideways

WIDTHS = (390, 1366)
LOGINS = ("naestved", "kombit")  # load_demo's programme leader of Næstved and KOMBIT staff


@pytest.fixture
def demo(db):
    """The deck's facts and the demo data, with its logins (password = username)."""
    call_command("load_facts", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


def contract_pages():
    """One real path for each row of DESIGN.md's URL table that shows a page."""
    task = (
        MunicipalityTask.objects.filter(
            municipality__code="370", task__support_system__isnull=False
        )
        .order_by("pk")
        .first()
    )
    person = Person.objects.filter(municipality__code="370").order_by("pk").first()
    return [
        "/",
        "/overblik/",
        f"/overblik/{SupportSystem.objects.get(slug='sts-adgangsstyring').slug}/",
        f"/projekter/{Project.objects.get(slug='bbr').slug}/",
        "/snitflader/",
        f"/snitflader/{Interface.objects.get(code='SF1511').code}/",
        "/klik/",
        "/klik/?state=open&sort=status",
        f"/klik/{task.pk}/",
        "/klik/import/",
        "/roller/",
        f"/roller/{Role.objects.order_by('pk').first().slug}/",
        "/roller/bemanding/",
        "/roller/personer/",
        f"/roller/personer/{person.pk}/",
        "/arrangementer/",
    ]


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", username)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_the_url_contract_scrolls_sideways(live_server, browser, demo, width):
    pages = contract_pages()
    too_wide = []
    for username in LOGINS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, live_server.url, username)
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path)
            if (overflow := sideways(page)) > 0:
                too_wide.append((username, path, overflow))
        context.close()
    assert too_wide == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", LOGINS)
def test_the_first_ten_rows_show_responsible_and_executor_without_scrolling(
    live_server, browser, demo, width, username
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/klik/")
    rows = page.locator("table.klik-table tbody tr")
    assert rows.count() >= 10
    for n in range(10):
        for column in ("status", "title", "deadline", "responsible", "executor"):
            cell = rows.nth(n).locator(f"td.{column}")
            box = cell.bounding_box()
            assert box is not None and box["width"] > 0, (n, column)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (n, column, box)
    assert sideways(page) == 0
    context.close()
