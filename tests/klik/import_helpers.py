"""Making import files in tests: an export read back and edited, or a sheet built cell by cell."""

import io

import openpyxl
from django.urls import reverse

from klik.imports import klik_import


def export(client, query=""):
    """The bytes of /klik/eksport.xlsx as the logged-in client downloads it."""
    response = client.get(reverse("klik:export") + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def edit(data, changes, sheet="KLIK-opgaver"):
    """`data` with {task id: {header: value}} written into the rows whose Link names the task."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = workbook[sheet].iter_rows()
    header = [cell.value for cell in next(rows)]
    link = header.index("Link")
    for row in rows:
        pk = int(row[link].value.rstrip("/").rsplit("/", 1)[1])
        for name, value in changes.get(pk, {}).items():
            row[header.index(name)].value = value
    return save(workbook)


def save(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet(rows, title="Opgaver"):
    """An xlsx file of `rows` (lists of cell values) on one sheet."""
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    return save(workbook)


def run(data, **kwargs):
    """klik_import of `data` (bytes); dry_run=False unless told."""
    kwargs.setdefault("dry_run", False)
    return klik_import(io.BytesIO(data), **kwargs)


def outcomes(report):
    return [row.outcome for row in report.rows]
