"""A programme leader staffs an unstaffed role; an admin rewrites a role's responsibility."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo import demo_data
from rollegalleri.models import Role
from tests.factories import KombitStaffFactory, ProgrammeLeaderFactory, UserFactory

SHOTS = Path("/tmp/shots")


@pytest.fixture
def deck_and_users(db):
    """The deck's facts with the demo project galleries, the naestved programme leader, a
    KOMBIT user and an admin."""
    call_command("load_facts", stdout=StringIO())
    demo_data.project_roles_ensure()
    from portfolio.models import Municipality

    naestved = Municipality.objects.get(code="370")
    ProgrammeLeaderFactory(username="naestved", municipality=naestved, password="naestved")
    KombitStaffFactory(username="kombit", password="kombit")
    UserFactory(
        username="admin", municipality=None, password="admin", is_staff=True, is_superuser=True
    )


def unstaffed_count(page, base):
    """The dashboard's count of unstaffed required roles."""
    page.goto(base + "/")
    return page.locator("[data-unstaffed-count]")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"roller-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_programme_leader_staffs_a_role_and_an_admin_rewrites_its_responsibility(
    live_server, logged_in_page, deck_and_users
):
    base = live_server.url
    page = logged_in_page("naestved", password="naestved")
    page.set_viewport_size({"width": 1400, "height": 900})
    before = int(unstaffed_count(page, base).get_attribute("data-unstaffed-count"))

    page.goto(base + "/roller/bemanding/")
    cell = page.locator("tr[data-role='tekniker'] td[data-project='bbr']")
    expect(cell).to_contain_text("Ubesat")
    shot(page, "bemanding")

    page.get_by_role("link", name="Tilføj person").click()
    page.get_by_label("Navn").fill("Tove Tekniker")
    page.get_by_label("E-mail").fill("tove@naestved.dk")
    page.get_by_label("Stilling").fill("It-tekniker")
    page.get_by_label("Afdeling").fill("Digitalisering")
    shot(page, "person-ny")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tove Tekniker")

    page.get_by_role("link", name="Tildel rolle").click()
    page.get_by_label("Rolle", exact=True).select_option(label="Tekniker (Tekniske roller)")
    page.get_by_label(re.compile(r"^Projekt \(valgfri\)")).select_option(label="BBR")
    shot(page, "tildel")
    page.get_by_role("button", name="Tildel", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Tove Tekniker har nu rollen Tekniker.")
    shot(page, "person")

    page.goto(base + "/roller/bemanding/")
    expect(cell).to_contain_text("Tove Tekniker")
    expect(cell).not_to_contain_text("Ubesat")
    expect(unstaffed_count(page, base)).to_have_attribute("data-unstaffed-count", str(before - 1))

    page.get_by_role("button", name="Log ud").click()
    logged_in_page("admin", password="admin")
    role = Role.objects.get(slug="tekniker")
    page.goto(f"{base}/admin/rollegalleri/role/{role.pk}/change/")
    new_text = "Teknikeren har ansvaret for, at snitfladerne virker i kommunens it-miljø."
    page.locator("#id_responsibility").fill(new_text)
    page.locator("input[name='_save']").click()
    expect(page).to_have_url(re.compile(r"/admin/rollegalleri/role/$"))

    page.goto(base + "/roller/tekniker/")
    expect(page.locator(".rollegalleri-responsibility")).to_contain_text(new_text)
    shot(page, "rolle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kombit_staff_see_the_gallery_and_the_national_summary(
    live_server, logged_in_page, deck_and_users
):
    base = live_server.url
    page = logged_in_page("kombit", password="kombit")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(base + "/roller/")
    expect(page.get_by_role("heading", name="Tekniske roller")).to_be_visible()
    shot(page, "galleri")
    page.goto(base + "/roller/supportberettiget-bruger/")
    expect(page.get_by_role("heading", name="Kompetencer")).to_be_visible()
    shot(page, "eksempel")
    page.goto(base + "/roller/bemanding/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bemanding i hele landet")
    expect(page.locator("td[data-unstaffed-municipalities]").first).to_contain_text("98")
    shot(page, "landsoversigt")
    page.goto(base + "/roller/personer/")
    shot(page, "personer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/roller/bemanding/?municipality=370")
    shot(page, "bemanding-telefon")
