"""The KLIK task list as an Excel workbook, written row by row.

XlsxWriter in constant-memory mode: each row goes to a temporary file as it is written, so
memory stays flat however many rows there are. It was chosen by measurement (`make bench`,
bench/RESULTS.md): 2–3× faster than openpyxl's write-only mode for the same cells, while the
faster native writers cannot give a single cell its own fill or quote prefix.
"""

import datetime
import tempfile

import xlsxwriter
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_tables2 import RequestConfig
from xlsxwriter.worksheet import Worksheet

from portfolio.filtering import filter_errors, filtered
from portfolio.spreadsheets import FORMULA_STARTS, XML_FORBIDDEN_RE

from .models import COLOUR_SHADES, Colour, MunicipalityTask, Origin, State, Task
from .tables import TaskTable

SHEET_TITLE = "KLIK-opgaver"
FILTER_SHEET_TITLE = "Filtre"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"
# Rows between two calls of a workbook's `progress` callback.
PROGRESS_EVERY = 1000
# Excel holds at most 65,530 hyperlinks per worksheet, and XlsxWriter writes nothing at all in a
# cell past that limit; rows beyond it get their link as plain text (the same URL, not clickable).
# XlsxWriter keeps the hyperlinks in memory until the sheet is closed (about 0.5 KB each, measured
# with tracemalloc), so the limit also caps what they add to the export's memory (~35 MiB).
URL_LIMIT = 65_530
WRITER_OPTIONS = {
    "constant_memory": True,
    # Text is text: never a formula, a number or a link because of how it looks.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
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


# Private-use characters standing in for a carriage return and "<" between XlsxWriter's two
# escaping steps; text is stripped of them before it is written.
_CR_MARK, _LT_MARK = "\ue000", "\ue001"


class _Worksheet(Worksheet):
    """Text exactly as given, for every reader. XlsxWriter writes a carriage return as Excel's
    `_x000D_` escape, which other readers (openpyxl among them) show literally, and passes
    text shaped like its own rich-text XML (`<r>…</r>`) through unescaped. Here a carriage
    return becomes a character reference and every "<" is escaped."""

    @staticmethod
    def _escape_control_characters(data):
        data = data.replace("\r", _CR_MARK).replace("<", _LT_MARK)
        return Worksheet._escape_control_characters(data)

    def _escape_data(self, data):
        data = super()._escape_data(data)
        return data.replace(_CR_MARK, "&#13;").replace(_LT_MARK, "&lt;")


class _Formats:
    """The workbook's cell formats, made once: bold header, dates, fills, quoted text."""

    def __init__(self, workbook):
        self.bold = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        # A quote prefix keeps text a spreadsheet would run as a formula as plain text.
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.fills = {
            c: workbook.add_format({"pattern": 1, "bg_color": f"#{shades.fill}"})
            for c, shades in COLOUR_SHADES.items()
        }


def _writer(sheet, formats):
    """write(row, col, text): a text cell, stripped of characters XML cannot hold (the C0
    controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF) and quoted when it starts
    like a formula; empty text leaves the cell empty."""
    write_string = sheet.write_string
    quoted = formats.quoted
    search, sub = XML_FORBIDDEN_RE.search, XML_FORBIDDEN_RE.sub

    def write(row, col, value):
        if value and (search(value) or _CR_MARK in value or _LT_MARK in value):
            value = sub("", value).replace(_CR_MARK, "").replace(_LT_MARK, "")
        if not value:
            return
        if value.startswith(FORMULA_STARTS):
            write_string(row, col, value, quoted)
        else:
            write_string(row, col, value)

    return write


def print_setup(sheet, title):
    """Landscape A4, one page wide, the header row on every page, the title in the page
    header and the page number in the footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    # "&" starts a header code: a literal one is doubled.
    sheet.set_header(f'&C&"-,Bold"{title.replace("&", "&&")}')
    sheet.set_footer("&C" + _("Page &P of &N"))


def _write_tasks(sheet, formats, queryset, link_for, progress):
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, SHEET_TITLE)
    sheet.write_row(0, 0, headers(), formats.bold)
    codes = interface_codes(queryset)
    labels = {c: str(Colour(c).label) for c in Colour.values}
    states = {s: str(State(s).label) for s in State.values}
    origins = {True: str(Origin.LOCAL.label), False: str(Origin.KOMBIT.label)}
    text, write_string, write_date = (
        _writer(sheet, formats),
        sheet.write_string,
        sheet.write_datetime,
    )
    date, fills = formats.date, formats.fills
    write_url, url_limit = sheet.write_url, URL_LIMIT
    n = 0
    for n, row in enumerate(export_rows(queryset), start=1):
        pk, task_id, municipality, project, title, system, start, deadline = row[:8]
        colour, state, responsible, executor, local = row[8:]
        text(n, 0, municipality)
        text(n, 1, project)
        text(n, 2, title)
        text(n, 3, system)
        text(n, 4, codes.get(task_id))
        if start is not None:
            write_date(n, 5, start, date)
        if deadline is not None:
            write_date(n, 6, deadline, date)
        write_string(n, 7, labels[colour], fills[colour])
        write_string(n, 8, states[state])
        text(n, 9, responsible)
        text(n, 10, executor)
        # Our own task page, written by us: a hyperlink showing its URL, never a formula.
        # Past Excel's limit the same URL is plain text.
        if n <= url_limit:
            write_url(n, 11, link_for(pk), None, link_for(pk))
        else:
            write_string(n, 11, link_for(pk))
        write_string(n, 12, origins[bool(local)])
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    sheet.autofilter(0, 0, n, len(COLUMN_WIDTHS) - 1)
    return n


def _write_filters(sheet, formats, filters, exported_at, count):
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 50)
    # The noun as a column heading, not the list page's button ("Filtrér").
    sheet.write_row(0, 0, [pgettext("heading", "Filter"), _("Value")], formats.bold)
    sheet.write_string(1, 0, _("Exported"))
    sheet.write_datetime(1, 1, exported_at, formats.datetime)
    sheet.write_string(2, 0, _("Rows"))
    sheet.write_number(2, 1, count)
    text = _writer(sheet, formats)
    for row, (label, value) in enumerate(filters, start=3):
        text(row, 0, str(label))
        text(row, 1, str(value))
    if not filters:
        sheet.write_row(3, 0, [_("Filters"), _("None: every task you can see")])


def task_workbook(*, queryset, filters, exported_at, link_for, progress=None):
    """Write the tasks of `queryset` (in its order) and a sheet of `filters` to a temporary
    file; returns the file, rewound. `exported_at` must be a naive local datetime;
    `progress(rows written)` is called every PROGRESS_EVERY rows when given."""
    out = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(out, WRITER_OPTIONS)
    formats = _Formats(workbook)
    tasks = workbook.add_worksheet(SHEET_TITLE, _Worksheet)
    count = _write_tasks(tasks, formats, queryset, link_for, progress)
    _write_filters(
        workbook.add_worksheet(FILTER_SHEET_TITLE, _Worksheet), formats, filters, exported_at, count
    )
    workbook.close()
    out.seek(0)
    return out


def export_queryset(request, filterset):
    """The rows the list shows for the request's query string (all pages, the list's order,
    none while a filter is bad) and the (label, value) filters they were made with."""
    # The table applies ?sort= exactly as the list does, so both share one order.
    table = RequestConfig(request, paginate=False).configure(TaskTable(filtered(filterset)))
    return table.data.data, applied_filters(request, filterset, table)


def applied_filters(request, filterset, table):
    """(label, value) for each query parameter the export was made with, in words as the list
    page shows them ("Status: Rød, Gul", "Sortering: Slutdato, faldende"), then why a bad
    query has no rows."""
    form = filterset.form
    if filterset.is_bound:
        filterset.is_valid()  # Cleans the form: the valid fields' values, even beside bad ones.
    cleaned = getattr(form, "cleaned_data", {})
    filters = []
    for name in request.GET:
        values = [v for v in request.GET.getlist(name) if v]
        if not values:
            continue
        if name == "sort":
            filters.append((_("Sort"), sort_label(table, values[0])))
        elif name in form.fields:
            field = form.fields[name]
            if name in cleaned and name not in form.errors:
                words = choice_words(field, cleaned[name])
            else:
                # A bad value, shown as typed; filter_errors below says what is wrong with it.
                words = values
            if words:
                filters.append((str(field.label), ", ".join(words)))
    return filters + filter_errors(filterset)


def choice_words(field, value):
    """A cleaned filter value as the words its form shows: choice labels, the chosen objects'
    labels, Ja/Nej, dd.mm.yyyy; [] for nothing chosen."""
    if isinstance(value, bool):
        return [_("Yes") if value else _("No")]
    if value is None or value == "":
        return []
    if isinstance(value, datetime.date):
        return [date_format(value, "SHORT_DATE_FORMAT")]
    items = value if isinstance(value, list | tuple | QuerySet) else [value]
    if hasattr(field, "label_from_instance"):
        return [str(field.label_from_instance(item)) for item in items]
    if getattr(field, "choices", None):
        labels = {str(key): str(label) for key, label in field.choices}
        return [labels.get(str(item), str(item)) for item in items]
    return [str(item) for item in items]


def sort_label(table, value):
    """`?sort=-deadline` as "Slutdato, faldende": each sorted column's header and direction; a
    name that is no column (the list ignores it) as typed."""
    parts = []
    for key in value.split(","):
        descending = key.startswith("-")
        name = key.lstrip("-")
        if name in table.columns.names() and table.columns[name].orderable:
            direction = _("descending") if descending else _("ascending")
            parts.append(f"{table.columns[name].header}, {direction}")
        else:
            parts.append(key)
    return "; ".join(parts)


def export_filename(day):
    return f"klik-opgaver-{day.isoformat()}.xlsx"
