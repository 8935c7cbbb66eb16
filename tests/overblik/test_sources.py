"""Issue 13: every fact says where it comes from, what the source does not say is "Ikke oplyst",
and what can be computed (published tasks, interfaces named by tasks) is computed."""

import datetime
import re

import pytest
from django.core.management import call_command

from portfolio.models import Event, InterfaceUsage, Project, SupportSystem
from tests.factories import (
    InterfaceFactory,
    InterfaceUsageFactory,
    ProjectFactory,
    SupportSystemFactory,
    TaskFactory,
)
from tests.overblik.test_overview import rows
from tests.overblik.test_support_system import page

DECK = "KOMBIT, maj/juni 2018"
# The projects whose pilot and rollout the deck's "Overblik på tværs af projekterne" leaves
# empty or does not list at all (FLIS names municipalities involved in STS Adgangsstyring,
# not pilots).
UNSTATED_PILOT = ["aula", "ksd", "ky", "sapa", "spk", "fbs", "yr", "flis"]
UNSTATED_ROLLOUT = ["aula", "ksd", "ky", "sapa", "spk", "fbs", "yr"]
MADE_UP = ["Ingen pilot", "Ikke besluttet"]
YEAR = re.compile(r"\b(19|20)\d\d\b")


def text(element):
    return " ".join(element.text_content().split())


@pytest.fixture
def facts(db):
    call_command("load_facts", verbosity=0)


def test_every_deck_fact_has_a_source_with_a_date(facts):
    for model in (Project, InterfaceUsage, Event):
        for fact in model.objects.all():
            assert YEAR.search(fact.source), (model.__name__, fact)
    with_notes = SupportSystem.objects.exclude(attention_points="")
    assert with_notes.exists()
    for system in with_notes:
        assert YEAR.search(system.source), system


def test_the_overview_shows_each_projects_source(facts, leader_client):
    found = rows(page(leader_client, "/overblik/"))

    assert len(found) == Project.objects.count()
    for slug, row in found.items():
        assert f"Kilde: {DECK}" in text(row), slug


def test_dated_notes_carry_their_source_date_beside_them(facts, leader_client):
    found = {slug: text(row) for slug, row in rows(page(leader_client, "/overblik/")).items()}

    assert (
        f"{DECK}: STS adgangsstyring har deadline den 31/5 (deadline bliver skudt)"
        in (found["flis"])
    )
    doc = page(leader_client, "/projekter/bbr/")
    facts_text = text(doc.xpath("//dl[contains(@class, 'project-facts')]")[0])
    assert text(doc.xpath("//dd[contains(@class, 'fact-source')]")[0]) == DECK
    assert "klar senest 1. november 2018" in facts_text


@pytest.mark.parametrize("url", ["/overblik/", *[f"/projekter/{s}/" for s in UNSTATED_PILOT]])
def test_no_page_makes_up_a_pilot_or_a_rollout_decision(facts, leader_client, url):
    doc = page(leader_client, url)
    if url == "/overblik/":
        found = {slug: text(row) for slug, row in rows(doc).items()}
    else:
        slug = url.split("/")[2]
        found = {slug: text(doc.xpath("//dl[contains(@class, 'project-facts')]")[0])}

    for slug, row in found.items():
        if slug in UNSTATED_PILOT:
            assert not any(phrase in row for phrase in MADE_UP), (slug, row)
            assert "Ikke oplyst" in row, slug
    if "dar" in found:  # the deck does say DAR had no pilot
        assert "Ingen pilot" in found["dar"]


def test_the_deck_projects_lose_what_the_deck_does_not_say(facts, leader_client):
    found = {slug: text(row) for slug, row in rows(page(leader_client, "/overblik/")).items()}

    assert "Pilot:" not in found["flis"] and "Ikke oplyst" in found["flis"]
    assert "involveret i STS Adgangsstyring" in found["flis"]
    assert "2019" not in found["dubu"].replace("SF1511 (2019)", "").replace("(2019)", "")
    assert "januar 2020" not in found["yr"]
    for slug in UNSTATED_ROLLOUT:
        assert Project.objects.get(slug=slug).get_rollout_display() == "Ikke oplyst"
    assert Project.objects.get(slug="flis").pilot_municipalities.count() == 0


def test_published_tasks_are_counted_not_typed(db, leader_client, naestved):
    project = ProjectFactory(slug="dubu", short_name="DUBU", klik_note="Ikke endnu", source=DECK)
    TaskFactory.create_batch(3, project=project)
    far = datetime.date.today() + datetime.timedelta(days=400)
    TaskFactory(project=project, published_on=far)  # not published yet

    row = text(rows(page(leader_client, "/overblik/"))["dubu"])
    assert "3 publicerede KLIK-opgaver" in row
    assert f"{DECK}: Ikke endnu" in row
    doc = page(leader_client, "/projekter/dubu/")
    assert text(doc.xpath("//dd[contains(@class, 'published-tasks')]")[0]).startswith("3")


def test_an_interface_named_by_tasks_without_a_usage_is_not_called_unused(
    db, leader_client, naestved
):
    sapa = ProjectFactory(slug="sapa", short_name="SAPA")
    system = SupportSystemFactory(slug="sts-organisation", name="STS Organisation")
    sf1500 = InterfaceFactory(code="SF1500", support_system=system)
    sf1510 = InterfaceFactory(code="SF1510", support_system=system)
    unused = InterfaceFactory(code="SF1530", support_system=system)
    used = InterfaceFactory(code="SF1511", support_system=system)
    InterfaceUsageFactory(interface=used, project=sapa)
    for interface in (sf1500, sf1510, used):
        TaskFactory(project=sapa, support_system=system).interfaces.add(interface)

    for url in ("/snitflader/", "/overblik/sts-organisation/"):
        doc = page(leader_client, url)
        for code in ("SF1500", "SF1510"):
            row = text(doc.xpath(f"//tr[@data-interface='{code}']")[0])
            assert "Nævnt i KLIK-opgaver for SAPA, brug ikke registreret" in row, url
            assert "Intet projekt bruger den endnu" not in row
        assert "Intet projekt bruger den endnu" in text(
            doc.xpath("//tr[@data-interface='SF1530']")[0]
        )
        assert "Nævnt" not in text(doc.xpath("//tr[@data-interface='SF1511']")[0])
    project = page(leader_client, "/projekter/sapa/")
    for code in ("SF1500", "SF1510"):
        row = text(project.xpath(f"//tr[@data-interface='{code}']")[0])
        assert "Nævnt i KLIK-opgaver for SAPA, brug ikke registreret" in row
    assert "Nævnt" not in text(project.xpath("//tr[@data-interface='SF1511']")[0])
    detail = text(page(leader_client, "/snitflader/SF1500/"))
    assert "Nævnt i KLIK-opgaver for SAPA, brug ikke registreret" in detail
    assert "Intet projekt bruger den endnu" not in detail
    unused_page = text(page(leader_client, f"/snitflader/{unused.code}/"))
    assert "Intet projekt bruger den endnu" in unused_page


def test_the_demo_data_names_sf1500_and_sf1510_through_sapas_tasks(facts, leader_client):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115

    doc = page(leader_client, "/snitflader/")
    for code in ("SF1500", "SF1510"):
        row = text(doc.xpath(f"//tr[@data-interface='{code}']")[0])
        assert "Nævnt i KLIK-opgaver for SAPA, brug ikke registreret" in row


def test_events_interfaces_and_attention_points_show_their_source(facts, leader_client):
    events = page(leader_client, "/arrangementer/")
    assert [text(dd) for dd in events.xpath("//dd[contains(@class, 'fact-source')]")] == [
        DECK
    ] * Event.objects.count()
    interfaces = page(leader_client, "/snitflader/")
    assert f"Kilde: {DECK}" in text(interfaces.xpath("//tr[@data-interface='SF1511']")[0])
    system = page(leader_client, "/overblik/sts-adgangsstyring/")
    assert f"Kilde: {DECK}" in text(system.xpath("//div[@class='attention-points']")[0])
    assert f"Kilde: {DECK}" in text(system.xpath("//tr[@data-interface='SF1511']")[0])


def test_the_deck_fixture_holds_no_project_galleries_and_no_bbr_task_roles(facts):
    from rollegalleri.models import ProjectRole

    assert not ProjectRole.objects.exists()
    assert not Project.objects.get(slug="bbr").tasks.filter(roles__isnull=False).exists()


def test_the_migration_corrects_a_database_loaded_from_the_old_deck_fixture(db):
    from importlib import import_module

    from django.apps import apps

    from tests.factories import MunicipalityFactory

    migration = import_module("portfolio.migrations.0005_facts_carry_their_source")
    dubu = ProjectFactory(slug="dubu", has_pilot=True, go_live_on=datetime.date(2019, 1, 1))
    yr = ProjectFactory(slug="yr", has_pilot=False, go_live_on=datetime.date(2020, 1, 1))
    dar = ProjectFactory(slug="dar", has_pilot=False, pilot_note="Ingen pilot")
    flis = ProjectFactory(
        slug="flis",
        has_pilot=True,
        pilot_note="Næstved og Hørsholm Kommune har været involveret i STS Adgangsstyring",
    )
    flis.pilot_municipalities.add(MunicipalityFactory())
    edited = ProjectFactory(slug="ksd", has_pilot=False, pilot_note="", source="Rettet i admin")

    migration.forwards(apps, None)

    for project in (dubu, yr, dar, flis, edited):
        project.refresh_from_db()
    assert dubu.go_live_on is None and dubu.has_pilot is True and dubu.source == DECK
    assert yr.go_live_on is None and yr.has_pilot is None
    assert dar.has_pilot is False
    assert flis.has_pilot is None and not flis.pilot_municipalities.exists()
    assert edited.has_pilot is None and edited.source == "Rettet i admin"
