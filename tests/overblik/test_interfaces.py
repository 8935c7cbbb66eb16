"""`/snitflader/` and `/snitflader/<code>/`."""

import pytest

from tests.factories import (
    InterfaceFactory,
    InterfaceUsageFactory,
    ProjectFactory,
    SupportSystemFactory,
    TaskFactory,
)
from tests.overblik.test_support_system import page


@pytest.fixture
def sf1511(db):
    system = SupportSystemFactory(slug="sts-adgangsstyring", name="STS Adgangsstyring")
    interface = InterfaceFactory(
        code="SF1511", name="Sikkerhed - Hent Token fra Context Handler", support_system=system
    )
    InterfaceUsageFactory(
        interface=interface, project=ProjectFactory(slug="dar", short_name="DAR"), state="completed"
    )
    return interface


def test_the_interface_list_groups_interfaces_by_support_system(sf1511, leader_client):
    InterfaceFactory(
        code="SF2900", support_system=SupportSystemFactory(name="Fordelingskomponenten")
    )

    doc = page(leader_client, "/snitflader/")

    groups = [h.text_content().strip() for h in doc.xpath("//section/h2")]
    assert groups == ["Fordelingskomponenten", "STS Adgangsstyring"]
    row = doc.xpath("//tr[@data-interface='SF1511']")[0]
    assert "DAR (gennemført)" in " ".join(row.text_content().split())


def test_the_interface_page_shows_the_projects_using_it_and_when(sf1511, leader_client):
    doc = page(leader_client, "/snitflader/SF1511/")

    text = " ".join(doc.text_content().split())
    assert "Sikkerhed - Hent Token fra Context Handler" in text
    row = doc.xpath("//tr[@data-project='dar']")[0]
    assert "gennemført" in row.text_content()
    assert row.xpath(".//a")[0].get("href") == "/projekter/dar/"


def test_the_interface_page_lists_the_tasks_concerning_it(sf1511, naestved, leader_client):
    TaskFactory(title="Test token", support_system=sf1511.support_system).interfaces.add(sf1511)

    doc = page(leader_client, "/snitflader/SF1511/")

    assert "Test token" in doc.text_content()


@pytest.mark.parametrize("code", ["sf1511", "Sf1511", "sF1511"])
def test_a_lowercase_code_redirects_to_the_canonical_url(sf1511, leader_client, code):
    response = leader_client.get(f"/snitflader/{code}/")

    assert response.status_code == 301
    assert response["Location"] == "/snitflader/SF1511/"


@pytest.mark.parametrize("code", ["SF9999", "sf9999", "SF15110", "nonsense", "%00", "ø"])
def test_an_unknown_code_is_404(sf1511, leader_client, code):
    assert leader_client.get(f"/snitflader/{code}/").status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_the_interface_pages_run_a_fixed_number_of_queries(
    size, sf1511, naestved, leader_client, django_assert_num_queries
):
    for _ in range(size):
        interface = InterfaceFactory(support_system=SupportSystemFactory())
        InterfaceUsageFactory(interface=interface)
        InterfaceUsageFactory(interface=sf1511)
        TaskFactory(support_system=sf1511.support_system).interfaces.add(sf1511)

    # +1 (issue 13): the projects whose KLIK tasks name an interface without a usage, for all
    # interfaces in one query, so the page never calls such an interface unused.
    with django_assert_num_queries(6):
        assert leader_client.get("/snitflader/").status_code == 200
    with django_assert_num_queries(6):
        assert leader_client.get("/snitflader/SF1511/").status_code == 200
