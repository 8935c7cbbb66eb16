"""`/overblik/<slug>/`: the deck's "Eksempel: STS Adgangsstyring" page for any support system."""

import datetime

import pytest
from django.core.management import call_command
from lxml import html

from klik.models import MunicipalityTask, State
from tests.factories import (
    InterfaceFactory,
    InterfaceUsageFactory,
    MunicipalityFactory,
    ProjectFactory,
    SupportSystemFactory,
    TaskFactory,
    municipality_task,
)

STS = "/overblik/sts-adgangsstyring/"


def has_class(name):
    """An XPath predicate: the element has CSS class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def chips(doc, code):
    """The project chips on the interface row `code`, as the page reads them."""
    row = doc.xpath(f'//tr[@data-interface="{code}"]')[0]
    return [
        " ".join(a.text_content().split()) for a in row.xpath(f".//a[{has_class('usage-chip')}]")
    ]


@pytest.fixture
def deck(db):
    call_command("load_facts", verbosity=0)


def test_sts_adgangsstyring_lists_sf1511_with_the_decks_projects_and_states(deck, leader_client):
    doc = page(leader_client, STS)

    assert sorted(chips(doc, "SF1511")) == sorted(
        [
            "DAR (gennemført)",
            "BBR (i gang)",
            "FLIS (i gang)",
            "KSD (2019)",
            "KY (2019)",
            "SAPA (2019)",
            "Valg (2019)",
            "DUBU (2019)",
            "AULA (2019)",
            "SPK (ny)",
        ]
    )


def test_sts_adgangsstyring_lists_sf1514_sf1515_and_sf1512_with_their_projects(deck, leader_client):
    doc = page(leader_client, STS)

    assert chips(doc, "SF1514") == ["DUBU (2019)"]
    assert chips(doc, "SF1515") == ["DUBU (2019)", "Valg (2019)"]
    assert chips(doc, "SF1512") == ["Valg (2019)"]


def test_each_interface_shows_its_name_and_links_to_its_page(deck, leader_client):
    doc = page(leader_client, STS)

    row = doc.xpath('//tr[@data-interface="SF1511"]')[0]
    assert "Sikkerhed - Hent Token fra Context Handler" in row.text_content()
    assert row.xpath(".//a")[0].get("href") == "/snitflader/SF1511/"


def test_a_project_chip_links_to_the_project_page(deck, leader_client):
    doc = page(leader_client, STS)

    link = doc.xpath('//tr[@data-interface="SF1511"]//a[@data-project="bbr"]')[0]
    assert link.get("href") == "/projekter/bbr/"


def test_the_bbr_klik_tasks_are_listed_with_their_colour_and_link(deck, leader, leader_client):
    doc = page(leader_client, STS)

    rows = doc.xpath(f"//table[{has_class('task-table')}]/tbody/tr")
    titles = [r.xpath("./td[1]/a")[0].text_content() for r in rows]
    assert "Klargør TAC liste og SPLUNK liste" in titles
    assert len(titles) == 5
    mt = MunicipalityTask.objects.get(
        task__title="Klargør TAC liste og SPLUNK liste", municipality=leader.municipality
    )
    assert doc.xpath(f'//a[@href="/klik/{mt.pk}/"]')
    # The BBR tasks were due 1/11-2018 and nobody is on them: red, in words.
    assert "Rød" in rows[0].text_content()


def test_attention_points_and_material_links_are_shown(leader_client):
    system = SupportSystemFactory(slug="sts-x", attention_points="Husk at teste i god tid.")
    system.materials.create(title="Vejledning", url="https://example.org/vejledning")

    doc = page(leader_client, "/overblik/sts-x/")

    assert "Husk at teste i god tid." in doc.text_content()
    assert doc.xpath('//a[@href="https://example.org/vejledning"]')[0].text_content() == (
        "Vejledning"
    )


def test_kombit_staff_see_counts_across_municipalities_linking_to_the_list(kombit_client):
    system = SupportSystemFactory(slug="sts-x")
    MunicipalityFactory(code="101")
    MunicipalityFactory(code="102")
    TaskFactory(
        project=ProjectFactory(slug="bbr"),
        support_system=system,
        deadline=datetime.date(2000, 1, 1),
        title="Opgave A",
    )

    doc = page(kombit_client, "/overblik/sts-x/")

    link = doc.xpath(f"//table[{has_class('task-table')}]//a[@data-colour='red']")[0]
    assert link.get("data-count") == "2"
    assert link.get("href") == ("/klik/?status=red&project=bbr&support_system=sts-x&q=Opgave+A")


def test_tasks_of_another_municipality_are_not_counted(naestved, hoersholm, leader_client):
    system = SupportSystemFactory(slug="sts-x")
    mt = municipality_task(hoersholm, support_system=system, title="Hørsholms opgave")
    mt.state = State.BLOCKED
    mt.save()

    doc = page(leader_client, "/overblik/sts-x/")

    assert not doc.xpath(f'//a[@href="/klik/{mt.pk}/"]')
    own = MunicipalityTask.objects.get(task=mt.task, municipality=naestved)
    assert doc.xpath(f'//a[@href="/klik/{own.pk}/"]')


def test_a_support_system_without_interfaces_says_so(leader_client):
    SupportSystemFactory(slug="sts-tom")

    doc = page(leader_client, "/overblik/sts-tom/")

    assert "Ingen snitflader registreret" in doc.text_content()


def test_an_unknown_support_system_is_404(leader_client):
    assert leader_client.get("/overblik/findes-ikke/").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_the_support_system_page_runs_a_fixed_number_of_queries(
    size, naestved, leader_client, django_assert_num_queries
):
    system = SupportSystemFactory(slug="sts-x")
    system.materials.create(title="Vejledning", url="https://example.org/")
    for _ in range(size):
        MunicipalityFactory()
        interface = InterfaceFactory(support_system=system)
        for _ in range(size):
            project = ProjectFactory()
            InterfaceUsageFactory(interface=interface, project=project)
            TaskFactory(project=project, support_system=system).interfaces.add(interface)

    # +1 (issue 13): the projects whose KLIK tasks name an interface without a usage, for all
    # the support system's interfaces in one query.
    with django_assert_num_queries(9):
        response = leader_client.get("/overblik/sts-x/")
    assert response.status_code == 200
