"""/roller/ and /roller/<slug>/: the deck's gallery, grouped and described as the deck has it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import resolve

from rollegalleri.models import Role
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SupportSystemFactory,
    TaskFactory,
)

from .html import page, text

DECK_CATEGORIES = {
    "Organisatoriske roller": [
        "Gevinstejer",
        "Superbruger",
        "Supportberettiget bruger",
        "Systemejer",
    ],
    "Projekt/program": ["Projektejer", "Projektleder", "KOMBIT-programleder", "STS-projektleder"],
    "Tekniske roller": [
        "Tekniker",
        "It-sikkerhedsansvarlig",
        "Rolleadministrator (STS)",
        "Organisationsadministrator (STS)",
        "FK-ansvarlig (SP)",
        "FK-administrator (SP)",
    ],
}


def sections(response):
    """{category heading: [role names]} as the gallery shows them."""
    html = page(response)
    return {
        text(section.xpath("h2")[0]): [text(a) for a in section.xpath(".//h3/a")]
        for section in html.xpath("//section[@data-category]")
    }


def test_the_decks_roles_appear_in_their_categories(deck, leader_client):
    shown = sections(leader_client.get("/roller/"))
    assert list(shown) == list(DECK_CATEGORIES)
    for category, roles in DECK_CATEGORIES.items():
        assert set(roles) <= set(shown[category]), category
    assert sum(len(names) for names in shown.values()) == 22
    # The deck lists Organisationsadministrator (STS) twice; the gallery shows it once.
    assert shown["Tekniske roller"].count("Organisationsadministrator (STS)") == 1


def test_the_gallery_shows_each_roles_headline_and_sts_or_sp_tag(deck, leader_client):
    html = page(leader_client.get("/roller/"))
    card = html.xpath("//li[@data-role='supportberettiget-bruger']")[0]
    assert "Fejl bliver identificeret, rapporteret og rettet" in text(card)
    assert text(html.xpath("//li[@data-role='fk-ansvarlig-sp']//h3")[0]).endswith("SP")
    assert text(html.xpath("//li[@data-role='rolleadministrator-sts']//h3")[0]).endswith("STS")
    assert not html.xpath("//li[@data-role='projektleder']//*[contains(@class, 'platform')]")


@pytest.mark.parametrize("slug", ["supportberettiget-bruger", "projektleder"])
def test_the_two_worked_examples_show_their_full_text(deck, leader_client, slug):
    role = Role.objects.get(slug=slug)
    html = page(leader_client.get(f"/roller/{slug}/"))
    for css, field in [
        ("rollegalleri-responsibility", role.responsibility),
        ("rollegalleri-tasks", role.tasks),
        ("rollegalleri-competencies", role.competencies),
    ]:
        shown = text(html.xpath(f"//section[@class='{css}']")[0])
        assert len(field) > 50
        assert " ".join(field.split()) in shown
    assert role.headline in text(html)
    headings = [text(h) for h in html.xpath("//h2")]
    assert headings[:3] == ["Ansvar", "Opgaver", "Kompetencer"]


def test_a_role_page_shows_support_systems_projects_tasks_and_who_holds_it_here(
    leader_client, leader, other_leader
):
    system = SupportSystemFactory(name="STS Adgangsstyring", slug="sts-adgangsstyring")
    role = RoleFactory(name="Rolleadministrator (STS)", slug="rolleadministrator-sts")
    role.support_systems.add(system)
    bbr = ProjectFactory(short_name="BBR", slug="bbr")
    ProjectRoleFactory(project=bbr, role=role, required=True)
    task = TaskFactory(title="Opret, navngiv og tildel jobfunktionsroller", project=bbr)
    task.roles.add(role)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality, name="Ane"), role=role
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=other_leader.municipality, name="Bo"), role=role
    )
    shown = text(page(leader_client.get("/roller/rolleadministrator-sts/")))
    assert "STS Adgangsstyring" in shown
    assert "BBR – påkrævet" in shown
    assert "Opret, navngiv og tildel jobfunktionsroller" in shown
    assert "Ane – alle projekter" in shown
    assert "Bo" not in shown


def test_kombit_staff_see_a_role_without_a_holders_section(deck, kombit_client):
    html = page(kombit_client.get("/roller/projektleder/"))
    assert not html.xpath("//section[@class='rollegalleri-holders']")


def test_an_unknown_role_answers_404(deck, leader_client):
    assert leader_client.get("/roller/findes-ikke/").status_code == 404


def test_the_gallery_needs_a_login(client, deck):
    response = client.get("/roller/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("slug", ["bemanding", "personer"])
def test_a_role_slug_cannot_take_a_fixed_path(db, slug):
    role = Role(name="Ny rolle", slug=slug, category=Role.Category.TECHNICAL)
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "slug" in error.value.message_dict
    with pytest.raises(IntegrityError):
        role.save()


def test_the_fixed_paths_come_before_the_role_slug():
    assert resolve("/roller/bemanding/").url_name == "staffing"
    assert resolve("/roller/bemanding/eksport.xlsx").url_name == "staffing_export"
    assert resolve("/roller/personer/").url_name == "person_list"
    assert resolve("/roller/projektleder/").url_name == "detail"


def make_gallery(size):
    for n in range(size):
        role = RoleFactory(category=Role.Category.choices[n % 3][0], headline=f"Overskrift {n}")
        role.support_systems.add(SupportSystemFactory())
        project = ProjectFactory()
        ProjectRoleFactory(project=project, role=role)
        TaskFactory(project=project).roles.add(role)


@pytest.mark.parametrize("size", [2, 20])
def test_the_gallery_runs_a_fixed_number_of_queries(leader_client, django_assert_num_queries, size):
    make_gallery(size)
    with django_assert_num_queries(4):
        assert leader_client.get("/roller/").status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_a_role_page_runs_a_fixed_number_of_queries(
    leader_client, leader, django_assert_num_queries, size
):
    make_gallery(1)
    role = Role.objects.get()
    for _ in range(size):
        project = ProjectFactory()
        ProjectRoleFactory(project=project, role=role)
        TaskFactory(project=project).roles.add(role)
        person = PersonFactory(municipality=leader.municipality)
        RoleAssignmentFactory(person=person, role=role, project=project)
        role.support_systems.add(SupportSystemFactory())
    with django_assert_num_queries(8):
        assert leader_client.get(role.get_absolute_url()).status_code == 200
