"""/klik/eksport.xlsx: the list's rows and order, the Excel contract, text safety, scoping."""

import datetime
import io
import zipfile

import pytest
from django.utils.http import urlencode

from klik.models import Colour, Task
from portfolio.spreadsheets import text_cell
from tests.factories import InterfaceFactory, PersonFactory, ProjectFactory, SupportSystemFactory
from tests.klik.conftest import DAY, today
from tests.klik.helpers import exported_links, listed, workbook

pytestmark = pytest.mark.django_db

HEADER = [
    "Kommune",
    "Projekt",
    "Opgave",
    "Støttesystem",
    "Snitflader",
    "Startdato",
    "Slutdato",
    "Status",
    "Tilstand",
    "Ansvarlig",
    "Udfører",
    "Link",
]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=red",
        "?status=yellow&status=grey&sort=-status",
        "?sort=deadline",
        "?sort=-title&per_page=3&page=2",
        "?sort=interfaces",
        "?sort=state",
        "?sort=-responsible",
        "?q=opgave&sort=starts_on",
        "?project=bbr",
    ],
)
def test_export_rows_and_order_equal_the_lists(leader_client, rainbow, make_task, query):
    make_task(Colour.RED, project=ProjectFactory(slug="bbr"))
    per_page = "&" if "?" in query else "?"
    everything = listed(leader_client.get(f"/klik/{query}{per_page}per_page=200&page=1"))
    if "per_page=3" in query:
        everything = listed(
            leader_client.get(f"/klik/{query.replace('per_page=3&page=2', 'per_page=200')}")
        )
    assert exported_links(leader_client.get(f"/klik/eksport.xlsx{query}")) == everything


def test_export_covers_every_page(leader_client, make_task):
    from tests.factories import TaskFactory

    for n in range(60):
        TaskFactory(title=f"Opgave {n}")
    assert len(listed(leader_client.get("/klik/"))) == 50
    assert len(exported_links(leader_client.get("/klik/eksport.xlsx"))) == 60


def test_export_follows_the_contract(leader_client, naestved, make_task):
    sts = SupportSystemFactory(slug="sts", name="STS Adgangsstyring")
    mt = make_task(
        Colour.RED,
        title="Opsæt adgangsstyring",
        project=ProjectFactory(slug="bbr", short_name="BBR"),
        support_system=sts,
        starts_on=today() - 30 * DAY,
    )
    mt.task.interfaces.add(InterfaceFactory(code="SF1514"), InterfaceFactory(code="SF1511"))
    mt.responsible = PersonFactory(municipality=naestved, name="Anna Jensen")
    mt.save()
    response = leader_client.get("/klik/eksport.xlsx")
    expected_name = f"klik-opgaver-{today().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = workbook(response)
    assert book.sheetnames == ["KLIK-opgaver", "Filtre"]
    sheet = book["KLIK-opgaver"]
    header = [c.value for c in sheet[1]]
    # The contract's twelve columns first; the origin column follows Link, as it allows.
    assert header[:12] == HEADER
    assert header[12:] == ["Oprindelse"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M2"
    row = [c for c in sheet[2]]
    assert [c.value for c in row[:5]] == [
        "Næstved",
        "BBR",
        "Opsæt adgangsstyring",
        "STS Adgangsstyring",
        "SF1511 SF1514",
    ]
    assert row[5].is_date and row[5].value.date() == today() - 30 * DAY
    assert row[6].is_date and row[6].value.date() == today() - DAY
    assert row[7].value == "Rød"
    assert row[7].fill.fgColor.rgb.endswith("F4C7C3")
    assert row[8].value == "I gang"
    assert row[9].value == "Anna Jensen"
    assert row[11].value == f"http://testserver/klik/{mt.pk}/"
    assert row[12].value == "KOMBIT"


def test_each_status_has_its_word_and_fill(leader_client, rainbow):
    sheet = workbook(leader_client.get("/klik/eksport.xlsx?sort=status"))["KLIK-opgaver"]
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    words = [c.value for c in cells]
    assert words == ["Rød", "Rød", "Gul", "Gul", "Grøn", "Grøn", "Grå", "Grå"]
    fills = {c.value: c.fill.fgColor.rgb[-6:] for c in cells}
    assert fills == {"Rød": "F4C7C3", "Gul": "FCE8B2", "Grøn": "B7E1CD", "Grå": "D9D9D9"}
    assert all(c.fill.fill_type == "solid" for c in cells)


def test_second_sheet_names_the_filters_and_the_time(leader_client, make_task):
    make_task(Colour.RED)
    query = urlencode([("status", "red"), ("q", "adgang"), ("sort", "-deadline")])
    before = datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(minutes=61)
    sheet = workbook(leader_client.get(f"/klik/eksport.xlsx?{query}"))["Filtre"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Status"] == "Rød"
    assert rows["Søg"] == "adgang"
    assert rows["Sortering"] == "Slutdato, faldende"
    assert rows["Rækker"] == 0
    assert isinstance(rows["Eksporteret"], datetime.datetime)
    assert rows["Eksporteret"] >= before


HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example","klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tTAB=1+1",
    "\rCR",
    "\nLF",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_formula_like_text_comes_out_as_plain_text(leader_client, naestved, make_task, text):
    mt = make_task(title=text)
    mt.responsible = PersonFactory(municipality=naestved, name=text)
    mt.save()
    response = leader_client.get("/klik/eksport.xlsx")
    raw = b"".join(response.streaming_content)
    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(raw))["KLIK-opgaver"]
    title, responsible = sheet["C2"], sheet["J2"]
    assert title.value == text and title.data_type == "s" and title.quotePrefix
    assert responsible.value == text and responsible.data_type == "s"


def test_control_characters_are_removed(leader_client, naestved, make_task):
    mt = make_task()
    # Validation refuses such a title now; update() stands for rows stored before it did.
    Task.objects.filter(pk=mt.task_id).update(title="Bell\x07 and\x01 null\x1f end")
    mt.note = "x"
    mt.executor = PersonFactory(municipality=naestved, name="\x0bVertical tab")
    mt.save()
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert sheet["C2"].value == "Bell and null end"
    assert sheet["K2"].value == "Vertical tab"


def test_hostile_filter_values_are_plain_text_on_the_filter_sheet(leader_client, make_task):
    make_task()
    sheet = workbook(leader_client.get("/klik/eksport.xlsx?q==1%2B1%01"))["Filtre"]
    values = [row[1] for row in sheet.iter_rows(min_row=2)]
    search = next(c for c in values if c.value and str(c.value).startswith("="))
    assert search.value == "=1+1" and search.data_type == "s"


def test_text_cell_leaves_ordinary_text_alone():
    import openpyxl

    sheet = openpyxl.Workbook(write_only=True).create_sheet()
    cell = text_cell(sheet, "Næstved Kommune")
    assert cell.value == "Næstved Kommune" and not cell.quotePrefix


def test_export_is_scoped_like_the_list(leader_client, naestved, hoersholm, make_task):
    own = make_task()
    make_task(municipality=hoersholm)
    links = exported_links(leader_client.get("/klik/eksport.xlsx"))
    assert own.pk in links
    assert set(links) == set(listed(leader_client.get("/klik/")))
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"Næstved"}


# Issue 8: the parameter used to be ignored for municipal users (their own rows came back);
# now naming another municipality answers 404, like every other page and export.
@pytest.mark.parametrize("code", ["223", "999", "abc"])
def test_a_programme_leader_exporting_another_municipality_gets_404(
    leader_client, hoersholm, make_task, code
):
    make_task(municipality=hoersholm)
    assert leader_client.get(f"/klik/eksport.xlsx?municipality={code}").status_code == 404


def test_a_programme_leader_exporting_their_own_municipality_gets_the_same_rows(
    leader_client, hoersholm, make_task
):
    make_task(municipality=hoersholm)
    own = exported_links(leader_client.get("/klik/eksport.xlsx?municipality=370"))
    assert own and own == exported_links(leader_client.get("/klik/eksport.xlsx"))


def test_kombit_staff_export_every_municipality_or_one(kombit_client, naestved, hoersholm):
    from tests.factories import TaskFactory

    TaskFactory()
    sheet = workbook(kombit_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Hørsholm",
        "Næstved",
    ]
    sheet = workbook(kombit_client.get("/klik/eksport.xlsx?municipality=223"))["KLIK-opgaver"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Hørsholm"]


def test_export_with_bad_filters_is_empty_like_the_list(leader_client, make_task):
    make_task()
    response = leader_client.get("/klik/eksport.xlsx?deadline_before=2026-13-45")
    book = workbook(response)
    assert book["KLIK-opgaver"].max_row == 1
    errors = [
        r for r in book["Filtre"].iter_rows(min_row=2, values_only=True) if r[0].startswith("Fejl")
    ]
    assert errors == [("Fejl i Slutdato til", "Indtast en gyldig dato.")]


@pytest.mark.parametrize(
    "query, label",
    [
        ("status=purple&status=red", "Fejl i Status"),
        ("project=nope", "Fejl i Projekt"),
        ("q=%00", "Fejl i Søg"),
    ],
)
def test_the_export_of_a_bad_query_has_no_rows_and_says_why_on_its_second_sheet(
    leader_client, rainbow, query, label
):
    book = workbook(leader_client.get(f"/klik/eksport.xlsx?{query}"))
    assert book.sheetnames[0] == "KLIK-opgaver"
    assert list(book["KLIK-opgaver"].iter_rows(min_row=2, values_only=True)) == []
    about = {r[0]: r[1] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert about["Rækker"] == 0
    assert about["Ingen rækker"].startswith("Nogle filtre kunne ikke bruges")
    assert about[label]


def test_kombit_staff_exporting_an_unknown_municipality_get_no_rows_and_the_reason(
    kombit_client, make_task
):
    make_task()
    book = workbook(kombit_client.get("/klik/eksport.xlsx?municipality=999"))
    assert book["KLIK-opgaver"].max_row == 1
    about = {r[0]: r[1] for r in book["Filtre"].iter_rows(min_row=2, values_only=True)}
    assert about["Fejl i Kommune"] == "Der findes ingen kommune med koden “999”."


def test_the_export_needs_a_login(client, naestved):
    response = client.get("/klik/eksport.xlsx")
    assert response.status_code == 302


@pytest.mark.parametrize("rows", [10, 500])
def test_the_export_runs_a_fixed_number_of_queries(
    leader_client, naestved, django_assert_num_queries, rows
):
    from tests.klik.test_list import _tasks

    _tasks(naestved, rows)
    # One COUNT decides whether the file is made now or by the worker (issue 12).
    with django_assert_num_queries(7):
        response = leader_client.get(
            "/klik/eksport.xlsx?project=p1&sort=status&status=red&status=grey"
        )
        book = workbook(response)
    assert book["KLIK-opgaver"].max_row > 1


@pytest.mark.parametrize("rows", [10, 200])
def test_the_national_export_for_kombit_staff_runs_a_fixed_number_of_queries(
    kombit_client, naestved, hoersholm, django_assert_num_queries, rows
):
    from tests.klik.test_list import _tasks

    _tasks(naestved, rows // 2)
    # One COUNT decides whether the file is made now or by the worker (issue 12).
    with django_assert_num_queries(6):
        book = workbook(kombit_client.get("/klik/eksport.xlsx?sort=status"))
    # Each task is published to both municipalities.
    assert book["KLIK-opgaver"].max_row == 1 + rows


def test_text_shaped_like_spreadsheet_markup_comes_out_as_the_same_text(
    leader_client, naestved, make_task
):
    text = "<r><t>sneaky</t></r>"
    make_task(title=text)
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert sheet["C2"].value == text


def test_the_sheet_prints_landscape_one_page_wide_with_the_header_repeated(
    leader_client, make_task
):
    make_task()
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide is the file format's default, so a writer may leave fitToWidth out.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.oddHeader.center.text == "KLIK-opgaver"
    assert sheet.oddFooter.center.text == "Side &P af &N"


def test_link_cells_are_hyperlinks_to_our_task_pages_and_never_formulas(leader_client, make_task):
    tasks = [make_task(Colour.RED), make_task(Colour.GREEN)]
    sheet = workbook(leader_client.get("/klik/eksport.xlsx?sort=status"))["KLIK-opgaver"]
    for mt, row in zip(tasks, sheet.iter_rows(min_row=2), strict=True):
        link = row[11]
        assert link.value == f"http://testserver/klik/{mt.pk}/"
        assert link.data_type == "s"
        assert link.hyperlink.target == link.value
    # Only the Link column: text that looks like an address elsewhere stays text.
    assert all(cell.hyperlink is None for row in sheet.iter_rows() for cell in row[:11])


def test_links_past_excels_limit_of_hyperlinks_are_plain_text(
    leader_client, make_task, monkeypatch
):
    from klik import exports

    monkeypatch.setattr(exports, "URL_LIMIT", 2)
    tasks = [make_task(Colour.RED) for _ in range(3)]
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    links = [row[11] for row in sheet.iter_rows(min_row=2)]
    assert sorted(int(c.value.rstrip("/").rsplit("/", 1)[1]) for c in links) == sorted(
        mt.pk for mt in tasks
    )
    assert [c.hyperlink is not None for c in links] == [True, True, False]


def filter_sheet(client, query):
    sheet = workbook(client.get(f"/klik/eksport.xlsx?{urlencode(query)}"))["Filtre"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_filter_sheet_shows_each_filter_in_words_not_slugs(leader_client, naestved):
    sts = SupportSystemFactory(slug="sts", name="STS Adgangsstyring")
    ProjectFactory(slug="sapa", short_name="SAPA")
    ProjectFactory(slug="bbr", short_name="BBR")
    InterfaceFactory(code="SF1511", name="Kvittering")
    anna = PersonFactory(municipality=naestved, name="Anna Jensen")
    query = [
        ("status", "red"),
        ("status", "yellow"),
        ("project", "sapa"),
        ("project", "bbr"),
        ("support_system", sts.slug),
        ("interface", "SF1511"),
        ("municipality", "370"),
        ("state", "open"),
        ("state", "done"),
        ("responsible", anna.pk),
        ("unassigned", "on"),
        ("deadline_after", "2027-01-31"),
        ("q", "adgang"),
        ("sort", "-deadline"),
        ("page", "2"),
    ]
    rows = filter_sheet(leader_client, query)
    assert rows["Status"] == "Rød, Gul"
    assert set(rows["Projekt"].split(", ")) == {"SAPA", "BBR"}
    assert rows["Støttesystem"] == "STS Adgangsstyring"
    assert rows["Snitflade"] == "SF1511 Kvittering"
    assert rows["Kommune"] == "Næstved"
    assert rows["Tilstand"] == "Alle åbne, Løst"
    assert rows["Ansvarlig"] == "Anna Jensen"
    assert rows["Mangler ansvarlig eller udfører"] == "Ja"
    assert rows["Slutdato fra"] == "31.01.2027"
    assert rows["Søg"] == "adgang"
    assert rows["Sortering"] == "Slutdato, faldende"
    assert "page" not in rows and "2" not in rows.values()


def test_the_filter_sheet_names_an_ascending_sort_and_keeps_a_bad_value_as_typed(
    leader_client, make_task
):
    rows = filter_sheet(leader_client, [("sort", "title"), ("status", "purple")])
    assert rows["Sortering"] == "Opgave, stigende"
    assert rows["Status"] == "purple"
    assert rows["Fejl i Status"]
    rows = filter_sheet(leader_client, [("sort", "nonsense")])
    assert rows["Sortering"] == "nonsense"


def test_the_filter_sheet_heading_is_a_noun(leader_client):
    sheet = workbook(leader_client.get("/klik/eksport.xlsx"))["Filtre"]
    assert [c.value for c in sheet[1]] == ["Filter", "Værdi"]
