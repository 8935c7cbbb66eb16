"""The KLIK task list as an Excel workbook, written row by row (openpyxl write-only mode)."""

import tempfile

from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from portfolio.spreadsheets import FORMULA_STARTS, XML_FORBIDDEN_RE, text_cell

from .models import COLOUR_SHADES, Colour, MunicipalityTask, Origin, State, Task

SHEET_TITLE = "KLIK-opgaver"
FILTER_SHEET_TITLE = "Filtre"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"
COLUMN_WIDTHS = (16, 12, 50, 24, 20, 12, 12, 10, 22, 24, 24, 40, 14)
ROW_FIELDS = (
    "pk",
    "task_id",
    "municipality__name",
    "task__project__short_name",
    "task__title",
    "task__support_system__name",
    "start",
    "task__deadline",
    "colour",
    "state",
    "responsible__name",
    "executor__name",
    "task__municipality_id",
)


def headers():
    """The header row of the Excel contract, in the active language."""
    field = MunicipalityTask._meta.get_field
    task_field = Task._meta.get_field
    names = (
        field("municipality").verbose_name,
        task_field("project").verbose_name,
        _("Task"),
        task_field("support_system").verbose_name,
        task_field("interfaces").verbose_name,
        task_field("starts_on").verbose_name,
        task_field("deadline").verbose_name,
        _("Status"),
        field("state").verbose_name,
        field("responsible").verbose_name,
        field("executor").verbose_name,
        _("Link"),
        # After the twelve fixed columns, as the Excel contract allows.
        _("Origin"),
    )
    return [capfirst(str(name)) for name in names]


class _Styled:
    """Cells that share a style, so each row does not build its own."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.fills = {c: PatternFill("solid", fgColor=s.fill) for c, s in COLOUR_SHADES.items()}
        self.labels = {c: str(Colour(c).label) for c in Colour.values}
        self.states = {s: str(State(s).label) for s in State.values}
        self.origins = {True: str(Origin.LOCAL.label), False: str(Origin.KOMBIT.label)}

    def date(self, value, number_format=DATE_FORMAT):
        cell = WriteOnlyCell(self.sheet, value=value)
        if value is not None:
            cell.number_format = number_format
        return cell

    def status(self, colour):
        cell = WriteOnlyCell(self.sheet, value=self.labels[colour])
        cell.fill = self.fills[colour]
        return cell

    def text(self, value):
        # Plain values let openpyxl reuse one cell object; only risky text needs its own:
        # formula-like text, and text holding a character an xlsx file cannot (text_cell
        # drops those, whatever the database holds).
        if not value:
            return None
        if value.startswith(FORMULA_STARTS) or XML_FORBIDDEN_RE.search(value):
            return text_cell(self.sheet, value)
        return value


def export_rows(queryset):
    """The queryset's rows as plain tuples of ROW_FIELDS, streamed from the database."""
    return (
        queryset.prefetch_related(None)
        .annotate(start=Coalesce("task__starts_on", "task__published_on"))
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=2000)
    )


def interface_codes(queryset):
    """{task id: "SF1511 SF1514"} for the tasks in `queryset`, in one query."""
    through = Task.interfaces.through
    pairs = (
        through.objects.filter(task_id__in=queryset.order_by().values("task_id"))
        .order_by("task_id", "interface__code")
        .values_list("task_id", "interface__code")
    )
    codes = {}
    for task_id, code in pairs:
        codes.setdefault(task_id, []).append(code)
    return {task_id: " ".join(items) for task_id, items in codes.items()}


def _write_tasks(sheet, queryset, link_for):
    styled = _Styled(sheet)
    bold = Font(bold=True)
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name in headers():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    codes = interface_codes(queryset)
    count = 0
    for row in export_rows(queryset):
        pk, task_id, municipality, project, title, system, start, deadline = row[:8]
        colour, state, responsible, executor, local = row[8:]
        sheet.append(
            [
                styled.text(municipality),
                styled.text(project),
                styled.text(title),
                styled.text(system),
                codes.get(task_id),
                styled.date(start),
                styled.date(deadline),
                styled.status(colour),
                styled.states[state],
                styled.text(responsible),
                styled.text(executor),
                link_for(pk),
                styled.origins[bool(local)],
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMN_WIDTHS))}{count + 1}"
    return count


def _write_filters(sheet, filters, exported_at, count):
    styled = _Styled(sheet)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 50
    bold = Font(bold=True)
    heading = []
    for name in (_("Filter"), _("Value")):
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    sheet.append([_("Exported"), styled.date(exported_at, DATETIME_FORMAT)])
    sheet.append([_("Rows"), count])
    for label, value in filters:
        sheet.append([text_cell(sheet, label), text_cell(sheet, value)])
    if not filters:
        sheet.append([_("Filters"), _("None: every task you can see")])


def task_workbook(*, queryset, filters, exported_at, link_for):
    """Write the tasks of `queryset` (in its order) and a sheet of `filters` to a temporary
    file; returns the file, rewound. `exported_at` must be a naive local datetime."""
    workbook = Workbook(write_only=True)
    count = _write_tasks(workbook.create_sheet(SHEET_TITLE), queryset, link_for)
    _write_filters(workbook.create_sheet(FILTER_SHEET_TITLE), filters, exported_at, count)
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out
