"""The staffing matrix as an Excel workbook, written streaming (openpyxl write-only).

Text goes through the shared `text_cell`, as in the KLIK export, so both share one safety rule:
formula-like text stays text and characters an xlsx file cannot hold are dropped.
"""

import datetime
from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.properties import PageSetupProperties

from portfolio.spreadsheets import XML_FORBIDDEN_RE, text_cell


def _cell(sheet, value):
    """Text as a safe text cell; numbers, dates and empty cells as they are."""
    if isinstance(value, str | Promise):
        return text_cell(sheet, value)
    return value


def _print_setup(sheet, title):
    """Landscape A4, one page wide, the header row on every page, the title in the page header
    and the page number in the footer, as the KLIK export prints. A write-only sheet writes its
    properties with the first row, so this comes before any row."""
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    # A stored name may hold characters an xlsx file cannot; "&" starts a header code, so a
    # literal one is doubled.
    title = XML_FORBIDDEN_RE.sub("", title).replace("&", "&&")
    sheet.HeaderFooter.oddHeader.center.text = title
    sheet.HeaderFooter.oddHeader.center.font = "-,Bold"
    sheet.HeaderFooter.oddFooter.center.text = _("Page &P of &N")


def _header(sheet, titles):
    # Write-only sheets write their views with the first row: freeze before appending.
    sheet.freeze_panes = "A2"
    cells = [text_cell(sheet, title) for title in titles]
    for cell in cells:
        cell.font = Font(bold=True)
    sheet.append(cells)


def _autofilter(sheet, columns, rows):
    last_column = chr(ord("A") + columns - 1)
    sheet.auto_filter.ref = f"A1:{last_column}{rows + 1}"


def _municipal_rows(matrix):
    municipality = matrix.municipality.name
    for cell in matrix.cells():
        pr = cell.project_role
        if cell.is_risk:
            status = _("Unstaffed")
        elif cell.holders:
            status = _("Staffed")
        else:
            status = _("Optional, nobody")
        persons = "; ".join(
            h.person.name + (f" ({_('all projects')})" if h.across_projects else "")
            for h in cell.holders
        )
        yield [
            municipality,
            pr.role.get_category_display(),
            pr.role.name,
            pr.project.short_name,
            _("Required") if pr.required else _("Optional"),
            status,
            persons,
        ]


def _national_rows(matrix):
    for cell in matrix.cells():
        pr = cell.project_role
        yield [
            pr.role.get_category_display(),
            pr.role.name,
            pr.project.short_name,
            _("Required") if pr.required else _("Optional"),
            cell.unstaffed_municipalities,
            matrix.municipality_count,
        ]


def staffing_workbook(*, matrix, filters: list[tuple[str, str]], today: datetime.date) -> bytes:
    """The matrix as xlsx bytes: one row per cell, then a sheet naming filters and date."""
    workbook = Workbook(write_only=True)
    title = _("Staffing")
    sheet = workbook.create_sheet(title)
    if matrix.municipality is not None:
        title = f"{title} – {matrix.municipality.name}"
    _print_setup(sheet, title)
    if matrix.municipality is not None:
        titles = [
            _("Municipality"),
            _("Category"),
            _("Role"),
            _("Project"),
            _("Required"),
            _("Status"),
            _("Persons"),
        ]
        rows = _municipal_rows(matrix)
    else:
        titles = [
            _("Category"),
            _("Role"),
            _("Project"),
            _("Required"),
            _("Municipalities without anyone"),
            _("Municipalities in all"),
        ]
        rows = _national_rows(matrix)
    for width, letter in zip((18, 24, 30, 12, 12, 16, 40), "ABCDEFG", strict=False):
        sheet.column_dimensions[letter].width = width
    _header(sheet, titles)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - count is used below
        sheet.append([_cell(sheet, value) for value in row])
    _autofilter(sheet, len(titles), count)
    _about_sheet(workbook, filters, today)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about_sheet(workbook, filters, today):
    about = workbook.create_sheet(_("About this export"))
    about.append([_cell(about, _("Produced")), today])
    for label, value in filters:
        about.append([_cell(about, label), _cell(about, value)])
