"""Reading an uploaded xlsx file safely: the package is checked before openpyxl parses it,
then the sheet is read in read-only mode (defusedxml installed) and always closed."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from defusedxml import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from ..exports import FILTER_SHEET_TITLE, SHEET_TITLE
from .cells import CATALOGUE_COLUMNS, FORMULA, ROUND_TRIP_COLUMNS, normalise
from .report import MUNICIPALITY, ImportRefused

TOO_LARGE = _("The file is larger than %(limit)s, the most an import takes.")
NOT_XLSX = _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")
ZIP_BOMB = _(
    "The file unpacks to far more than an Excel workbook of its size would (a “zip bomb”), "
    "so it was not read."
)
TOO_MANY_PARTS = _(
    "The file holds more than %(limit)s parts, far more than an Excel workbook has, "
    "so it was not read."
)
XML_FORBIDDEN = _(
    "The file holds XML constructions (entities or a DTD) that an Excel workbook never needs, "
    "so it was not read."
)
UNREADABLE = _("The file could not be read as an Excel workbook: it is damaged or incomplete.")
NO_HEADER = _(
    "No header row was found in the first %(rows)s rows. The sheet needs the columns: %(columns)s."
)
TOO_MANY_ROWS = _("The file has more than %(limit)s rows, the most an import takes.")
EMPTY_ROWS = _(
    "The sheet goes on past row %(row)s, mostly with empty rows; an import reads at most "
    "%(limit)s rows below the header. Delete the empty rows at the bottom and try again."
)

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# A real workbook unpacks to some tens of times its size; these caps leave room for that.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 1000
RATIO_FROM_BYTES = 1024 * 1024
HEADER_SCAN_ROWS = 30
CHUNK = 1024 * 1024
# Excel never writes a DTD; entity declarations are refused before any parser sees them, in
# UTF-8 and UTF-16 alike (defusedxml, which openpyxl uses for the sheets, refuses them again).
DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
XML_SUFFIXES = (".xml", ".rels", ".vml")
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


@dataclass
class Table:
    """The rows of the sheet that held the header: {column key: cell value} per row."""

    sheet: str
    columns: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    exported_at: datetime | None = None

    def header(self, key):
        """The column's header as the file spells it."""
        return self.headers.get(key, "")


def read_upload(file):
    """The upload's bytes, refusing it past KLIK_IMPORT_MAX_BYTES without reading it all."""
    limit = settings.KLIK_IMPORT_MAX_BYTES
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(TOO_LARGE % {"limit": filesizeformat(limit)})
    return data


def check_package(data):
    """Refuse what is not an xlsx package or unpacks like a zip bomb, before any parsing."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_members(data, package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        raise ImportRefused(NOT_XLSX) from None
    except (EOFError, OSError, ValueError, zlib.error, struct.error):
        raise ImportRefused(UNREADABLE) from None


def _check_members(data, members):
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(TOO_MANY_PARTS % {"limit": MAX_MEMBERS})
    declared = 0
    for member in members:
        declared += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if declared > MAX_UNPACKED_BYTES or (
            member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO
        ):
            raise ImportRefused(ZIP_BOMB)
    by_name = {member.filename: member for member in members}
    if CONTENT_TYPES not in by_name:
        raise ImportRefused(NOT_XLSX)
    budget = MAX_UNPACKED_BYTES
    for member in members:
        # The declared sizes may lie: unpack every member ourselves, count what really comes
        # out, and stop at the declared size or the cap, whichever comes first.
        xml = member.filename.lower().endswith(XML_SUFFIXES)
        tail = b""
        for chunk in _unpack(data, member, budget):
            budget -= len(chunk)
            if xml:
                window = tail + chunk
                if any(mark in window for mark in DTD_MARKS):
                    raise ImportRefused(XML_FORBIDDEN)
                tail = window[-32:]
    content_types = b"".join(_unpack(data, by_name[CONTENT_TYPES], MAX_UNPACKED_BYTES))
    if WORKBOOK_TYPE not in content_types:
        raise ImportRefused(NOT_XLSX)


def _unpack(data, member, budget):
    """The member's bytes in chunks, unpacked from `data` without trusting its declared size:
    ZIP_BOMB as soon as more comes out than it declares or than `budget` allows."""
    if member.flag_bits & 0x1:  # encrypted: not a workbook openpyxl can read
        raise ImportRefused(NOT_XLSX)
    header = LOCAL_HEADER.unpack_from(data, member.header_offset)
    if header[0] != b"PK\x03\x04":
        raise ImportRefused(UNREADABLE)
    start = member.header_offset + LOCAL_HEADER.size + header[-2] + header[-1]
    raw = data[start : start + member.compress_size]
    if len(raw) != member.compress_size:
        raise ImportRefused(UNREADABLE)
    cap = min(member.file_size, budget)
    size, crc = 0, 0
    for chunk in _inflate(raw, member.compress_type):
        size += len(chunk)
        if size > cap:
            raise ImportRefused(ZIP_BOMB)
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != member.file_size or crc != member.CRC:
        raise ImportRefused(UNREADABLE)


def _inflate(raw, method):
    if method == zipfile.ZIP_STORED:
        for start in range(0, len(raw), CHUNK):
            yield raw[start : start + CHUNK]
        return
    if method != zipfile.ZIP_DEFLATED:  # Excel writes deflate only
        raise ImportRefused(NOT_XLSX)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    chunk = inflater.decompress(raw, CHUNK)
    while chunk:
        yield chunk
        chunk = inflater.decompress(inflater.unconsumed_tail, CHUNK)
    if not inflater.eof:
        raise ImportRefused(UNREADABLE)


def read_sheet(file, *, job, progress=None):
    """The Table of the uploaded `file` for `job`; raises ImportRefused with the reason."""
    data = read_upload(file)
    check_package(data)
    spec = ROUND_TRIP_COLUMNS if job == MUNICIPALITY else CATALOGUE_COLUMNS
    table, formulas = _with_workbook(data, False, lambda wb: _read(wb, spec, job, progress))
    if formulas:
        # Formulas are never calculated: the result the file saved is used, or the cell refused.
        _with_workbook(data, True, lambda wb: _fill_cached(wb, table, formulas))
    return table


def _with_workbook(data, data_only, read):
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        return read(workbook)
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises anything from KeyError to lxml's errors
        if _forbidden_xml(error):
            raise ImportRefused(XML_FORBIDDEN) from None
        raise ImportRefused(UNREADABLE) from error
    finally:
        if workbook is not None:
            workbook.close()


def _forbidden_xml(error):
    """Whether defusedxml refused the XML; openpyxl wraps its parsers' errors in ValueError,
    so the whole chain of causes is searched."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DefusedXmlException):
            return True
        text = str(error).lower()
        if "entit" in text or "dtd" in text:
            return True
        error = error.__cause__ or error.__context__
    return False


def _sheets(workbook, job):
    names = workbook.sheetnames
    if job == MUNICIPALITY:
        names = [n for n in names if n != FILTER_SHEET_TITLE]
        names.sort(key=lambda n: n != SHEET_TITLE)
    return names


def _read(workbook, spec, job, progress):
    for name in _sheets(workbook, job):
        rows = workbook[name].iter_rows()
        for number, cells in enumerate(rows, start=1):
            if number > HEADER_SCAN_ROWS:
                break
            table = _header(name, cells, spec, job)
            if table is not None:
                # Only the header's columns are read: a sheet whose dimension claims 16,384
                # columns would otherwise give every row that many cells.
                below = workbook[name].iter_rows(
                    min_row=number + 1, max_col=max(table.columns.values()) + 1
                )
                formulas = _rows(table, below, number, progress)
                if job == MUNICIPALITY:
                    table.exported_at = _exported_at(workbook)
                return table, formulas
    columns = ", ".join(names[0].capitalize() for names in spec.values())
    raise ImportRefused(NO_HEADER % {"rows": HEADER_SCAN_ROWS, "columns": columns})


def _header(sheet, cells, spec, job):
    lookup = {alias: key for key, aliases in spec.items() for alias in aliases}
    table = Table(sheet=sheet)
    for index, cell in enumerate(cells):
        if isinstance(cell.value, str):
            key = lookup.get(normalise(cell.value))
            if key and key not in table.columns:
                table.columns[key] = index
                table.headers[key] = cell.value.strip()
    found = set(table.columns)
    if job == MUNICIPALITY:
        ok = "link" in found and found & {"state", "responsible", "executor"}
    else:
        ok = "title" in found and len(found) >= 2
    return table if ok else None


def _rows(table, rows, header_number, progress):
    limit = settings.KLIK_IMPORT_MAX_ROWS
    # Empty rows are skipped but still read: a row numbered 100,000,000 (or a dimension that
    # claims as many) would make openpyxl yield every empty row before it. Stop well before.
    last = header_number + 2 * limit + 1000
    formulas = []
    for number, cells in enumerate(rows, start=header_number + 1):
        if number > last:
            raise ImportRefused(EMPTY_ROWS % {"row": last, "limit": last - header_number})
        values = {}
        for key, index in table.columns.items():
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                value = FORMULA
                formulas.append((number, key))
            elif isinstance(value, str):
                value = value.strip() or None
            values[key] = value
        if not any(v is not None for v in values.values()):
            continue
        table.rows.append((number, values))
        if len(table.rows) > limit:
            raise ImportRefused(TOO_MANY_ROWS % {"limit": limit})
        if progress and len(table.rows) % 5000 == 0:
            progress(gettext("Read %(count)s rows") % {"count": len(table.rows)})
    return formulas


def _fill_cached(workbook, table, formulas):
    wanted = _by_row(formulas)
    by_number = dict(table.rows)
    sheet = workbook[table.sheet]
    width = max(table.columns.values()) + 1
    for number, cells in enumerate(sheet.iter_rows(max_row=max(wanted), max_col=width), start=1):
        for key in wanted.get(number, ()):
            index = table.columns[key]
            value = cells[index].value if index < len(cells) else None
            if value is not None:
                by_number[number][key] = value


def _by_row(formulas):
    """{row number: [column keys]} of the formula cells."""
    wanted = {}
    for number, key in formulas:
        wanted.setdefault(number, []).append(key)
    return wanted


def _exported_at(workbook):
    if FILTER_SHEET_TITLE not in workbook.sheetnames:
        return None
    wanted = normalise(gettext("Exported"))
    for cells in workbook[FILTER_SHEET_TITLE].iter_rows(max_row=10, max_col=2, values_only=True):
        if len(cells) == 2 and isinstance(cells[0], str) and normalise(cells[0]) == wanted:
            value = cells[1]
            if isinstance(value, datetime):
                return timezone.make_aware(value) if timezone.is_naive(value) else value
    return None
