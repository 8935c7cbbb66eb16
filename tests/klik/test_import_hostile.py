"""Hostile files: each is refused with a Danish message the user reads, and nothing is written.

Every file is generated here. The messages are asserted in Danish, as the upload page and the
command show them; the database is compared before and after each import."""

import io
import random
import struct
import zipfile
from unittest import mock

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from django.core.management import call_command
from django.test import override_settings

from klik.imports import checks, klik_import
from klik.models import MunicipalityTask, MunicipalityTaskChange, Task
from portfolio.models import Interface, Project, SupportSystem
from rollegalleri.models import Person
from tests.factories import (
    InterfaceFactory,
    PersonFactory,
    ProjectFactory,
    SupportSystemFactory,
)
from tests.klik.import_helpers import edit, export, outcomes, run, sheet

pytestmark = pytest.mark.django_db

# What the user reads (the Danish catalogue, locale/da).
NOT_XLSX = "Filen er ikke en Excel-projektmappe (.xlsx). Gem den som .xlsx, og prøv igen."
ZIP_BOMB = (
    "Filen pakkes ud til langt mere, end en Excel-projektmappe af dens størrelse kan "
    "(en „zip-bombe“), så den blev ikke læst."
)
TOO_MANY_PARTS = (
    "Filen består af flere end 1000 dele, langt flere end en Excel-projektmappe har, "
    "så den blev ikke læst."
)
XML_FORBIDDEN = (
    "Filen indeholder XML-konstruktioner (entiteter eller en DTD), som en "
    "Excel-projektmappe aldrig bruger, så den blev ikke læst."
)
UNREADABLE = (
    "Filen kunne ikke læses som en Excel-projektmappe: den er beskadiget eller ufuldstændig."
)
FORMULA = (
    "Cellen indeholder en formel uden gemt resultat; formler bliver aldrig beregnet her. "
    "Skriv selve værdien."
)

CATALOGUE_HEADER = ["KLIK-id", "Slutdato", "Opgave", "Støttesystem", "Projekt", "Snitflader"]
CATALOGUE_ROW = ["K-1", "01-03-2027", "Ryd op i brugerne", "sts-adgangsstyring", "bbr", "SF1511"]


@pytest.fixture
def world(make_task, naestved, hoersholm, leader, kombit):
    """Three staffed Næstved tasks, Anna of Næstved, Hanne of Hørsholm and a catalogue."""
    system = SupportSystemFactory(name="STS Adgangsstyring", slug="sts-adgangsstyring")
    InterfaceFactory(code="SF1511", support_system=system)
    ProjectFactory(short_name="BBR", slug="bbr")
    PersonFactory(municipality=naestved, name="Anna Andersen", email="anna@naestved.dk")
    PersonFactory(municipality=hoersholm, name="Hanne Hørsholm", email="hanne@hoersholm.dk")
    return [make_task() for _ in range(3)]


def snapshot():
    """Everything an import could write: tasks, their links, copies, history, facts, persons."""
    return (
        list(Task.objects.order_by("pk").values()),
        list(Task.interfaces.through.objects.order_by("pk").values_list()),
        list(
            MunicipalityTask.objects.order_by("pk").values_list(
                "pk", "state", "responsible_id", "executor_id", "version"
            )
        ),
        MunicipalityTaskChange.objects.count(),
        Project.objects.count(),
        SupportSystem.objects.count(),
        Interface.objects.count(),
        Person.objects.count(),
    )


class Job:
    """One of the two jobs, with a good file of its own to make hostile."""

    def __init__(self, name, client, leader, kombit):
        self.name, self.client, self.leader, self.kombit = name, client, leader, kombit

    def good(self):
        if self.name == "round trip":
            return export(self.client)
        return catalogue_sheet(CATALOGUE_ROW)

    def run(self, data, **kwargs):
        if self.name == "round trip":
            return run(data, user=self.leader, municipality=self.leader.municipality, **kwargs)
        return run(data, user=self.kombit, **kwargs)


@pytest.fixture(params=["round trip", "catalogue"])
def job(request, world, client, leader, kombit):
    client.force_login(leader)
    return Job(request.param, client, leader, kombit)


def catalogue_sheet(*rows, header=CATALOGUE_HEADER):
    return sheet([["KLIK-opgaver fra KOMBIT"], [], header, *rows])


def refused_whole(job, data):
    """Import `data` (not a dry run); assert nothing was written; return the message."""
    before = snapshot()
    report = job.run(data)
    assert snapshot() == before
    assert report.refused and not report.applied and report.rows == []
    return report.error


# --- Zip surgery ---------------------------------------------------------------------------


def members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def repack(data, replace=None, drop=(), add=None, method=zipfile.ZIP_DEFLATED):
    """The package `data` with members replaced, dropped or added."""
    parts = {**members(data), **(replace or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as package:
        for name, content in {**parts, **(add or {})}.items():
            if name not in drop:
                package.writestr(name, content)
    return out.getvalue()


def plain_zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def declare_size(data, name, size):
    """`data` with member `name`'s uncompressed size rewritten to `size` in both its local
    header and the central directory, as a hostile zip would lie about it."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo(name)
    struct.pack_into("<L", data, info.header_offset + 22, size)
    position = data.index(b"PK\x01\x02")
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra, comment = struct.unpack_from("<3H", data, position + 28)
        if data[position + 46 : position + 46 + name_length].decode() == name:
            struct.pack_into("<L", data, position + 24, size)
            return bytes(data)
        position += 46 + name_length + extra + comment
    raise AssertionError(f"{name} not in the central directory")


def _laughs():
    entities = ['<!ENTITY lol0 "lol">']
    for n in range(1, 10):
        entities.append(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">')
    return '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>\n"


LAUGHS = _laughs()  # &lol9; expands to 10**9 times "lol"
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def with_doctype(xml, doctype):
    """`xml` (bytes) with `doctype` (and no XML declaration) before its root element."""
    text = xml.decode()
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[1].lstrip()
    return (doctype + text).encode()


def sheet_with_entity(data, doctype, entity):
    parts = members(data)
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = xml.index("<t>") + 3
    end = xml.index("</t>", start)
    xml = xml[:start] + entity + xml[end:]
    return repack(data, {"xl/worksheets/sheet1.xml": with_doctype(xml.encode(), doctype)})


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def with_shared_strings(data, prologue=""):
    """`data` with its first sheet's inline strings moved to xl/sharedStrings.xml, as Excel
    writes them; `prologue` goes before the table's root element."""
    parts = members(data)
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    strings = []

    def shared(piece):
        head, _, rest = piece.partition("</t></is></c>")
        text_ = head.rsplit("<is><t>", 1)[1]
        strings.append(text_)
        return (
            head.rsplit(' t="inlineStr"><is><t>', 1)[0]
            + f' t="s"><v>{len(strings) - 1}</v></c>'
            + rest
        )

    pieces = xml.split('<c r="')
    xml = pieces[0] + "".join(
        '<c r="' + (shared(p) if 't="inlineStr"' in p.split(">", 1)[0] else p) for p in pieces[1:]
    )
    table = (
        f'{prologue}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    )
    types = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>',
        )
    )
    rels = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_REL}" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
    )
    return repack(
        data,
        {
            "xl/worksheets/sheet1.xml": xml.encode(),
            "xl/sharedStrings.xml": table.encode(),
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
        },
    )


def set_cell_xml(data, ref, cell_xml):
    """`data` with the cell `ref` of the first sheet replaced by `cell_xml`."""
    parts = members(data)
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{ref}"')
    end = xml.index("</c>", start) + len("</c>")
    xml = xml[:start] + cell_xml + xml[end:]
    return repack(data, {"xl/worksheets/sheet1.xml": xml.encode()})


# --- Not an xlsx file ------------------------------------------------------------------------


def docx():
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    return plain_zip({"[Content_Types].xml": types, "word/document.xml": "<w:document/>"})


NOT_A_WORKBOOK = {
    "a PDF": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    "a CSV": b"Opgave;Slutdato;Projekt\nRyd op;01-03-2027;bbr\n",
    "plain text": b"hello",
    "an empty file": b"",
    "an old .xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "a plain zip": plain_zip({"opgaver.csv": "Opgave;Projekt\nRyd op;bbr\n"}),
    "a docx": docx(),
}


@pytest.mark.parametrize("name", NOT_A_WORKBOOK)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(job, name):
    assert refused_whole(job, NOT_A_WORKBOOK[name]) == NOT_XLSX


def test_the_good_files_themselves_import(job):
    """The files the hostile ones are made from are fine: what refuses them is the change."""
    report = job.run(job.good(), dry_run=True)
    assert not report.refused and report.rows


def test_a_workbook_without_content_types_is_refused(job):
    data = repack(job.good(), drop={"[Content_Types].xml"})
    assert refused_whole(job, data) == NOT_XLSX


def test_a_macro_workbook_or_other_content_type_is_refused(job):
    parts = members(job.good())
    types = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml"
    )
    assert refused_whole(job, repack(job.good(), {"[Content_Types].xml": types})) == NOT_XLSX


def test_a_truncated_workbook_is_refused(job):
    data = job.good()
    assert refused_whole(job, data[: len(data) // 2]) == NOT_XLSX


def test_a_member_with_a_wrong_checksum_is_refused(job):
    data = bytearray(repack(job.good(), method=zipfile.ZIP_STORED))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0x01  # one flipped bit inside the sheet
    assert refused_whole(job, bytes(data)) == UNREADABLE


@override_settings(KLIK_IMPORT_MAX_BYTES=512 * 1024)
def test_a_file_over_the_size_cap_is_refused_before_it_is_read(job):
    noise = random.Random(10).randbytes(600_000)  # does not compress
    big = repack(job.good(), add={"xl/media/image1.bin": noise})
    assert len(big) > 512 * 1024
    assert refused_whole(job, big) == (
        "Filen er større end 512,0\xa0KB, som er det største, der kan indlæses."
    )


def test_the_size_cap_reads_no_more_than_it_needs(world, kombit, settings):
    settings.KLIK_IMPORT_MAX_BYTES = 1000
    upload = io.BytesIO(b"PK\x03\x04" + b"\0" * 10_000_000)
    before = snapshot()
    with mock.patch.object(upload, "read", wraps=upload.read) as read:
        report = klik_import(upload, user=kombit, dry_run=False)
    assert read.call_args_list == [mock.call(1001)]
    assert (
        report.error == "Filen er større end 1000\xa0bytes, som er det største, der kan indlæses."
    )
    assert snapshot() == before


# --- Zip bombs -------------------------------------------------------------------------------


def test_a_member_that_unpacks_to_a_huge_size_is_refused(job):
    bomb = repack(job.good(), add={"xl/media/image1.png": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert refused_whole(job, bomb) == ZIP_BOMB


def test_a_sheet_that_unpacks_to_a_huge_size_is_refused(job):
    xml = members(job.good())["xl/worksheets/sheet1.xml"]
    padded = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (20 * 1024 * 1024))
    assert refused_whole(job, repack(job.good(), {"xl/worksheets/sheet1.xml": padded})) == ZIP_BOMB


def test_a_member_whose_declared_size_lies_smaller_is_refused(job):
    """The header says 1 KB; the member really unpacks to 5 MB: the declared ratio looks fine,
    so only counting what comes out catches it."""
    name = "xl/worksheets/sheet1.xml"
    xml = members(job.good())[name]
    padded = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (5 * 1024 * 1024))
    liar = declare_size(repack(job.good(), {name: padded}), name, 1024)
    with zipfile.ZipFile(io.BytesIO(liar)) as package:
        assert package.getinfo(name).file_size == 1024
    assert refused_whole(job, liar) == ZIP_BOMB


def test_many_members_each_small_but_adding_up_past_the_cap_are_refused(job, monkeypatch):
    monkeypatch.setattr(checks, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024)
    parts = {f"xl/media/image{n}.bin": b"\0" * 900_000 for n in range(6)}
    assert refused_whole(job, repack(job.good(), add=parts)) == ZIP_BOMB


def test_a_workbook_of_too_many_members_is_refused(job):
    parts = {f"xl/media/image{n}.png": b"" for n in range(1001)}
    assert refused_whole(job, repack(job.good(), add=parts)) == TOO_MANY_PARTS


def test_an_encrypted_member_is_refused(job):
    data = bytearray(job.good())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        infos = package.infolist()
    for info in infos:  # set the "encrypted" flag in every local and central header
        struct.pack_into("<H", data, info.header_offset + 6, info.flag_bits | 1)
    position = data.index(b"PK\x01\x02")
    while data[position : position + 4] == b"PK\x01\x02":
        (flags,) = struct.unpack_from("<H", data, position + 8)
        struct.pack_into("<H", data, position + 8, flags | 1)
        lengths = struct.unpack_from("<3H", data, position + 28)
        position += 46 + sum(lengths)
    assert refused_whole(job, bytes(data)) == NOT_XLSX


# --- XML entity tricks -----------------------------------------------------------------------


def test_openpyxl_parses_the_sheets_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")


def test_a_billion_laughs_sheet_is_refused(job):
    data = sheet_with_entity(job.good(), LAUGHS, "&lol9;")
    assert refused_whole(job, data) == XML_FORBIDDEN


def test_a_billion_laughs_shared_strings_table_is_refused(job):
    good = with_shared_strings(job.good())
    assert "xl/sharedStrings.xml" in members(good)
    assert not job.run(good, dry_run=True).refused  # the shared strings themselves are fine
    data = with_shared_strings(job.good(), prologue=LAUGHS)
    table = members(data)["xl/sharedStrings.xml"].decode()
    members_ = members(data)
    members_["xl/sharedStrings.xml"] = table.replace("<t>", "<t>&lol9;", 1).encode()
    assert refused_whole(job, repack(data, members_)) == XML_FORBIDDEN


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"])
def test_a_dtd_in_any_other_part_is_refused(job, part):
    xml = members(job.good())[part]
    data = repack(job.good(), {part: with_doctype(xml, LAUGHS)})
    assert refused_whole(job, data) == XML_FORBIDDEN


def test_a_dtd_in_utf16_is_refused(job):
    name = "xl/worksheets/sheet1.xml"
    xml = with_doctype(members(job.good())[name], XXE).decode()
    encoded = ('<?xml version="1.0" encoding="UTF-16"?>' + xml.split("\n", 1)[1]).encode("utf-16")
    assert refused_whole(job, repack(job.good(), {name: encoded})) == XML_FORBIDDEN


def test_an_external_entity_is_refused_and_never_read(job):
    data = sheet_with_entity(job.good(), XXE, "&xxe;")
    before = snapshot()
    report = job.run(data)
    assert report.error == XML_FORBIDDEN
    assert "root:" not in str(report.__dict__)
    assert snapshot() == before


@pytest.mark.parametrize("where", ["sheet", "shared strings"])
def test_defusedxml_refuses_the_entities_even_past_the_package_check(job, where):
    """The second line of defence: with the package check bypassed, openpyxl itself (through
    defusedxml) refuses to expand the entities, and the import says so."""
    if where == "sheet":
        data = sheet_with_entity(job.good(), LAUGHS, "&lol9;")
    else:
        data = with_shared_strings(job.good(), prologue=LAUGHS)
    with pytest.raises(ValueError) as raised:  # openpyxl wraps what its parser raised
        openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert isinstance(raised.value.__cause__, EntitiesForbidden)
    with mock.patch.object(checks, "check_package"):
        assert refused_whole(job, data) == XML_FORBIDDEN


# --- Formulas --------------------------------------------------------------------------------


def test_a_formula_with_a_saved_result_imports_the_result_and_is_never_calculated(world, kombit):
    data = catalogue_sheet(CATALOGUE_ROW)  # the title is C4
    data = set_cell_xml(data, "C4", '<c r="C4" t="str"><f>UPPER("x")</f><v>Fra formlen</v></c>')
    report = run(data, user=kombit)
    assert outcomes(report) == ["created"]
    assert Task.objects.filter(title="Fra formlen").exists()
    assert not Task.objects.filter(title="X").exists()


def test_a_formula_without_a_saved_result_is_refused_with_row_and_column(world, kombit):
    data = catalogue_sheet(CATALOGUE_ROW, ["K-2", "02-03-2027", "=UPPER(C4)", "", "bbr", ""])
    before = snapshot()
    report = run(data, user=kombit)
    assert snapshot() == before
    (refused,) = report.refused_rows
    assert (refused.sheet, refused.row, refused.column, refused.reason) == (
        "Opgaver",
        5,
        "Opgave",
        FORMULA,
    )


def test_a_round_trip_formula_uses_the_saved_name_or_is_refused(world, leader_client, leader):
    first, second, _ = world
    data = edit(
        export(leader_client),
        {first.pk: {"Ansvarlig": "=B2"}, second.pk: {"Ansvarlig": "=B3"}},
    )
    # Row 2's formula saved Anna's name as its result; row 3's saved none.
    rows = {}
    for number, cells in enumerate(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(), 1):
        rows[number] = [c.value for c in cells]
    column = rows[1].index("Ansvarlig")
    ref = openpyxl.utils.get_column_letter(column + 1)
    data = set_cell_xml(data, f"{ref}2", f'<c r="{ref}2" t="str"><f>B2</f><v>Anna Andersen</v></c>')
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert snapshot() == before  # one refused row: nothing written
    (refused,) = report.refused_rows
    assert (refused.row, refused.column, refused.reason) == (3, "Ansvarlig", FORMULA)
    planned = [r for r in report.rows if r.outcome == "updated"]
    assert [r.row for r in planned] == [2] and "Anna Andersen" in planned[0].reason


# --- Header, dates, unknown names, persons, row cap -----------------------------------------


def test_no_recognisable_header_row_is_refused(job):
    data = sheet([["Navn", "Alder"], ["Anna", 40]] + [[f"x{n}"] for n in range(40)])
    message = refused_whole(job, data)
    assert message.startswith("Der er ingen overskriftsrække blandt de første 30 rækker.")
    needed = (
        "Link, Tilstand, Ansvarlig, Udfører" if job.name == "round trip" else "Opgave, Slutdato"
    )
    assert needed in message


def test_a_header_below_the_first_30_rows_is_not_found(world, kombit):
    data = sheet([[f"titel {n}"] for n in range(30)] + [CATALOGUE_HEADER, CATALOGUE_ROW])
    before = snapshot()
    report = run(data, user=kombit)
    assert report.error.startswith("Der er ingen overskriftsrække")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        ("31-02-2026", "Datoen „31-02-2026“ findes ikke."),
        ("2026-02-31", "Datoen „2026-02-31“ findes ikke."),
        ("29.02.2027", "Datoen „29.02.2027“ findes ikke."),
        (
            "03/04/2026",
            "Datoen „03/04/2026“ kan læses på flere måder; skriv den som 31-12-2026 eller "
            "2026-12-31.",
        ),
        (
            "03-04-26",
            "Datoen „03-04-26“ kan læses på flere måder; skriv den som 31-12-2026 eller "
            "2026-12-31.",
        ),
        ("snart", "„snart“ er ikke en dato; skriv den som 31-12-2026 eller 2026-12-31."),
    ],
)
def test_impossible_and_ambiguous_dates_are_refused(world, kombit, deadline, expected):
    row = ["K-1", deadline, "Ryd op", "", "bbr", ""]
    good = ["K-2", "01-03-2027", "Tildel roller", "", "bbr", ""]
    before = snapshot()
    report = run(catalogue_sheet(good, row), user=kombit)
    assert snapshot() == before
    (refused,) = report.refused_rows
    assert (refused.row, refused.column, refused.reason) == (5, "Slutdato", expected)


def test_a_deadline_before_its_start_is_refused(world, kombit):
    header = [*CATALOGUE_HEADER, "Startdato"]
    row = ["K-1", "01-03-2027", "Ryd op", "", "bbr", "", "15-03-2027"]
    before = snapshot()
    (refused,) = run(catalogue_sheet(row, header=header), user=kombit).refused_rows
    assert snapshot() == before
    assert (refused.row, refused.column, refused.reason) == (
        4,
        "Slutdato",
        "Slutdatoen (01.03.2027) ligger før startdatoen (15.03.2027).",
    )


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Projekt", "XYZ", "Ukendt projekt „XYZ“; skriv projektets kortnavn eller slug."),
        (
            "Støttesystem",
            "STS Ukendt",
            "Ukendt støttesystem „STS Ukendt“; skriv støttesystemets navn eller slug.",
        ),
        (
            "Snitflader",
            "SF1511, SF9999",
            "Ukendte snitflader: SF9999; skriv SF-koder som SF1511.",
        ),
    ],
)
def test_an_unknown_project_support_system_or_interface_is_refused(
    world, kombit, column, value, expected
):
    row = list(CATALOGUE_ROW)
    row[CATALOGUE_HEADER.index(column)] = value
    before = snapshot()
    report = run(catalogue_sheet(row), user=kombit)
    assert snapshot() == before
    (refused,) = report.refused_rows
    assert (refused.row, refused.column, refused.reason) == (4, column, expected)


@pytest.mark.parametrize("cell", ["Hanne Hørsholm", "hanne@hoersholm.dk"])
def test_a_person_of_another_municipality_is_refused_and_not_named(
    world, leader_client, leader, cell
):
    data = edit(export(leader_client), {world[0].pk: {"Udfører": cell}})
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert snapshot() == before
    (refused,) = report.refused_rows
    assert (refused.row, refused.column) == (2, "Udfører")
    assert refused.reason.startswith(f"Ingen person „{cell}“ i Næstved Kommune.")
    assert "hoersholm" not in refused.reason.replace(cell, "")


@override_settings(KLIK_IMPORT_MAX_ROWS=2)
def test_more_rows_than_the_cap_are_refused(job):
    message = refused_whole(
        job,
        job.good()
        if job.name == "round trip"
        else catalogue_sheet(
            CATALOGUE_ROW, ["K-2", "", "To", "", "bbr", ""], ["K-3", "", "Tre", "", "bbr", ""]
        ),
    )
    assert message == "Filen har flere end 2 rækker, som er det største antal, der kan indlæses."


@override_settings(KLIK_IMPORT_MAX_ROWS=2)
def test_blank_rows_far_down_do_not_make_the_import_read_for_ever(world, kombit):
    """A sheet whose one data row claims to be row 100,000,000 (or whose dimension claims a
    million rows) is refused at the row cap instead of yielding a hundred million blank rows."""
    data = catalogue_sheet(CATALOGUE_ROW)
    xml = members(data)["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace('<row r="4">', '<row r="100000000">').replace('r="A4"', 'r="A100000000"')
    for letter in "BCDEF":
        xml = xml.replace(f'r="{letter}4"', f'r="{letter}100000000"')
    xml = xml.replace('<dimension ref="A1:F4"/>', '<dimension ref="A1:XFD100000000"/>')
    before = snapshot()
    report = run(repack(data, {"xl/worksheets/sheet1.xml": xml.encode()}), user=kombit)
    assert report.error == (
        "Arket fortsætter efter række 1007, for det meste med tomme rækker; en indlæsning "
        "læser højst 1004 rækker under overskriften. Slet de tomme rækker nederst, og prøv igen."
    )
    assert snapshot() == before


# --- The workbook is closed in every path ----------------------------------------------------


@pytest.fixture
def opened(monkeypatch):
    """Every workbook the import opens, with its close() counted."""
    books = []
    real = checks.load_workbook

    def spy(*args, **kwargs):
        workbook = real(*args, **kwargs)
        workbook.close = mock.Mock(wraps=workbook.close)
        books.append(workbook)
        return workbook

    monkeypatch.setattr(checks, "load_workbook", spy)
    return books


def a_good_catalogue():
    return catalogue_sheet(CATALOGUE_ROW)


CLOSE_PATHS = {
    "imported": (a_good_catalogue, 1),
    "no header": (lambda: sheet([["Navn"], ["Anna"]]), 1),
    "a formula cell, read twice": (
        lambda: set_cell_xml(
            a_good_catalogue(), "C4", '<c r="C4" t="str"><f>UPPER("x")</f><v>Fra formlen</v></c>'
        ),
        2,
    ),
    "a formula cell without result": (
        lambda: set_cell_xml(a_good_catalogue(), "C4", '<c r="C4"><f>UPPER("x")</f><v></v></c>'),
        2,
    ),
    "a bad cell": (lambda: catalogue_sheet(["K-9", "31-02-2026", "T", "", "bbr", ""]), 1),
    "a sheet that breaks off after its first rows": (lambda: broken_off(a_good_catalogue()), 1),
}


def broken_off(data):
    """`data` with its sheet's XML cut off inside the data rows: openpyxl opens the workbook
    and fails only while reading the rows."""
    xml = members(data)["xl/worksheets/sheet1.xml"]
    return repack(data, {"xl/worksheets/sheet1.xml": xml[: xml.index(b'<row r="4"') + 12]})


@pytest.mark.parametrize("path", CLOSE_PATHS)
def test_the_workbook_is_closed_in_every_path(world, kombit, opened, path):
    make, count = CLOSE_PATHS[path]
    with mock.patch.object(checks, "check_package"):  # reach openpyxl with every file
        run(make(), user=kombit)
    assert len(opened) == count
    for workbook in opened:
        workbook.close.assert_called_once()
        assert workbook._archive.fp is None  # the zip really is closed


@override_settings(KLIK_IMPORT_MAX_ROWS=1)
def test_the_workbook_is_closed_when_the_row_cap_stops_the_reading(world, kombit, opened):
    run(catalogue_sheet(CATALOGUE_ROW, ["K-2", "", "To", "", "bbr", ""]), user=kombit)
    (workbook,) = opened
    workbook.close.assert_called_once()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: repack(a_good_catalogue(), {"xl/workbook.xml": b"<workbook>"}), UNREADABLE),
        (lambda: sheet_with_entity(a_good_catalogue(), LAUGHS, "&lol9;"), XML_FORBIDDEN),
    ],
)
def test_a_failing_workbook_open_leaves_nothing_open(world, kombit, opened, make, expected):
    with mock.patch.object(checks, "check_package"):
        report = run(make(), user=kombit)
    assert report.error == expected
    assert opened == []  # load_workbook raised: there was no workbook to close


# --- Through the command ---------------------------------------------------------------------


def test_the_command_refuses_a_hostile_catalogue_file_and_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "opgaver.xlsx"
    path.write_bytes(NOT_A_WORKBOOK["a PDF"])
    before = snapshot()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_klik", str(path))
    assert exit_.value.code == 1
    assert snapshot() == before
    assert f"Afvist: {NOT_XLSX}" in capsys.readouterr().out


def test_the_command_refuses_a_bomb_in_a_round_trip_and_writes_nothing(
    world, leader_client, tmp_path, capsys
):
    path = tmp_path / "eksport.xlsx"
    data = sheet_with_entity(export(leader_client), LAUGHS, "&lol9;")
    path.write_bytes(data)
    before = snapshot()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_klik", str(path), "--municipality", "370", "--user", "naestved")
    assert exit_.value.code == 1
    assert snapshot() == before
    out = capsys.readouterr().out
    assert f"Afvist: {XML_FORBIDDEN}" in out
    assert "Oprettet 0 · Opdateret 0 · Uændret 0 · Afvist 0 (intet skrevet)" in out
