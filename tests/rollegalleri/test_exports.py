"""/roller/bemanding/eksport.xlsx: the matrix as a workbook, safe to open in a spreadsheet."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from rollegalleri.models import Role
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
)

FORMULA_NAMES = [
    '=HYPERLINK("http://evil.example","klik")',
    "+45 1234",
    "-1+2",
    "@SUM(A1)",
    "\tTabulator",
]


@pytest.fixture
def gallery(leader):
    bbr = ProjectFactory(short_name="BBR", slug="bbr")
    tekniker = RoleFactory(name="Tekniker", slug="tekniker", category=Role.Category.TECHNICAL)
    leder = RoleFactory(name="Projektleder", slug="projektleder", category=Role.Category.PROJECT)
    ProjectRoleFactory(project=bbr, role=tekniker)
    ProjectRoleFactory(project=bbr, role=leder)
    return {"bbr": bbr, "tekniker": tekniker, "leder": leder}


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_the_export_reads_back_as_the_matrix_shows_it(leader_client, leader, gallery):
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality, name="Ane Andersen"),
        role=gallery["leder"],
        project=gallery["bbr"],
    )
    response = leader_client.get("/roller/bemanding/eksport.xlsx")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="bemanding-370-{today}.xlsx"')
    book = workbook(response)
    assert book.sheetnames == ["Bemanding", "Om udtrækket"]
    sheet = book["Bemanding"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Kommune", "Kategori", "Rolle", "Projekt", "Påkrævet", "Status", "Personer"],
        ["Næstved", "Projekt/program", "Projektleder", "BBR", "Påkrævet", "Besat", "Ane Andersen"],
        ["Næstved", "Tekniske roller", "Tekniker", "BBR", "Påkrævet", "Ubesat", None],
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    about = [[c.value for c in row] for row in book["Om udtrækket"].iter_rows()]
    assert about[0][0] == "Dannet"
    assert about[0][1].date() == timezone.localdate()
    assert ["Kommune", "Næstved"] in about


def test_formula_like_names_stay_text(leader_client, leader, gallery):
    for name in FORMULA_NAMES:
        person = PersonFactory(municipality=leader.municipality, name=name)
        RoleAssignmentFactory(person=person, role=gallery["tekniker"])
    sheet = workbook(leader_client.get("/roller/bemanding/eksport.xlsx"))["Bemanding"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[2].value == "Tekniker")
    assert cell.data_type == "s"
    assert set(cell.value.split("; ")) == {f"{name} (alle projekter)" for name in FORMULA_NAMES}


def test_a_formula_like_name_alone_in_a_cell_is_a_string_not_a_formula(
    leader_client, leader, gallery
):
    person = PersonFactory(municipality=leader.municipality, name="=1+1")
    RoleAssignmentFactory(person=person, role=gallery["tekniker"], project=gallery["bbr"])
    sheet = workbook(leader_client.get("/roller/bemanding/eksport.xlsx"))["Bemanding"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[2].value == "Tekniker")
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert cell.quotePrefix


def test_control_characters_are_dropped(leader_client, leader, gallery):
    person = PersonFactory(municipality=leader.municipality, name="Bo\x0b B\x07ech\x1f")
    RoleAssignmentFactory(person=person, role=gallery["tekniker"], project=gallery["bbr"])
    sheet = workbook(leader_client.get("/roller/bemanding/eksport.xlsx"))["Bemanding"]
    assert "Bo Bech" in [row[6].value for row in sheet.iter_rows(min_row=2)]


def test_the_export_follows_the_filters(leader_client, gallery):
    book = workbook(leader_client.get("/roller/bemanding/eksport.xlsx?category=technical"))
    rows = list(book["Bemanding"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["Tekniker"]
    about = list(book["Om udtrækket"].iter_rows(values_only=True))
    assert ("Kategori", "Tekniske roller") in about


def test_the_export_of_another_municipality_answers_404(leader_client, other_leader, gallery):
    response = leader_client.get("/roller/bemanding/eksport.xlsx?municipality=223")
    assert response.status_code == 404


def test_kombit_staff_export_the_national_summary(kombit_client, leader, other_leader, gallery):
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality), role=gallery["tekniker"]
    )
    response = kombit_client.get("/roller/bemanding/eksport.xlsx")
    assert "bemanding-alle-" in response["Content-Disposition"]
    rows = list(workbook(response)["Bemanding"].iter_rows(values_only=True))
    assert rows == [
        ("Kategori", "Rolle", "Projekt", "Påkrævet", "Kommuner uden bemanding", "Kommuner i alt"),
        ("Projekt/program", "Projektleder", "BBR", "Påkrævet", 2, 2),
        ("Tekniske roller", "Tekniker", "BBR", "Påkrævet", 1, 2),
    ]


@pytest.mark.parametrize("size", [2, 20])
def test_the_export_runs_a_fixed_number_of_queries(
    leader_client, leader, django_assert_num_queries, size
):
    for _ in range(size):
        project, role = ProjectFactory(), RoleFactory()
        ProjectRoleFactory(project=project, role=role)
        person = PersonFactory(municipality=leader.municipality)
        RoleAssignmentFactory(person=person, role=role, project=project)
    with django_assert_num_queries(5):
        assert leader_client.get("/roller/bemanding/eksport.xlsx").status_code == 200


# Issue 8: the export of a bad query used to hold the unfiltered matrix; now it has no rows and
# its About sheet says why.
def test_an_export_with_bad_filters_has_no_rows_and_says_why_on_its_second_sheet(
    leader_client, gallery
):
    response = leader_client.get("/roller/bemanding/eksport.xlsx?category=x&project=nope")
    book = workbook(response)
    assert list(book["Bemanding"].iter_rows(min_row=2, values_only=True)) == []
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Ingen rækker"].startswith("Nogle filtre kunne ikke bruges")
    assert about["Fejl i Kategori"] and about["Fejl i Projekt"]
    assert "Fejl" not in leader_client.get("/roller/").content.decode()


def test_kombit_staff_export_one_municipality(kombit_client, leader, gallery):
    RoleAssignmentFactory(
        person=PersonFactory(municipality=leader.municipality, name="Ane"),
        role=gallery["tekniker"],
    )
    response = kombit_client.get("/roller/bemanding/eksport.xlsx?municipality=370")
    assert "bemanding-370-" in response["Content-Disposition"]
    rows = list(workbook(response)["Bemanding"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {"Næstved"}
    assert ("Næstved", "Tekniske roller", "Tekniker", "BBR") in [row[:4] for row in rows]


def test_kombit_staff_exporting_an_unknown_municipality_get_no_rows_and_the_reason(
    kombit_client, gallery
):
    book = workbook(kombit_client.get("/roller/bemanding/eksport.xlsx?municipality=999"))
    assert list(book["Bemanding"].iter_rows(min_row=2, values_only=True)) == []
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Fejl i Kommune"] == "Der findes ingen kommune med koden “999”."


@pytest.mark.parametrize("code", ["999", "abc"])
def test_a_municipal_user_exporting_any_code_but_their_own_gets_404(leader_client, gallery, code):
    response = leader_client.get(f"/roller/bemanding/eksport.xlsx?municipality={code}")
    assert response.status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_national_export_for_kombit_staff_runs_a_fixed_number_of_queries(
    kombit_client, naestved, hoersholm, django_assert_num_queries, size
):
    for _ in range(size):
        project, role = ProjectFactory(), RoleFactory()
        ProjectRoleFactory(project=project, role=role)
        for municipality in (naestved, hoersholm):
            person = PersonFactory(municipality=municipality)
            RoleAssignmentFactory(person=person, role=role, project=project)
    with django_assert_num_queries(5):
        response = kombit_client.get("/roller/bemanding/eksport.xlsx")
    assert len(list(workbook(response)["Bemanding"].iter_rows())) == 1 + size


@pytest.mark.parametrize(
    ("client_name", "query", "title"),
    [("leader_client", "", "Bemanding – Næstved"), ("kombit_client", "", "Bemanding")],
)
def test_the_sheet_prints_landscape_one_page_wide_with_its_title_and_header_repeated(
    request, gallery, client_name, query, title
):
    client = request.getfixturevalue(client_name)
    sheet = workbook(client.get(f"/roller/bemanding/eksport.xlsx{query}"))["Bemanding"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == title
    assert sheet.oddFooter.center.text == "Side &P af &N"


def test_the_about_sheet_shows_each_filter_in_words_not_slugs(kombit_client, leader, gallery):
    query = "municipality=370&project=bbr&category=technical&unstaffed=on"
    about = dict(
        workbook(kombit_client.get(f"/roller/bemanding/eksport.xlsx?{query}"))[
            "Om udtrækket"
        ].iter_rows(min_row=2, values_only=True)
    )
    assert about == {
        "Kommune": "Næstved",
        "Projekt": "BBR",
        "Kategori": "Tekniske roller",
        "Kun ubesatte": "Ja",
    }
