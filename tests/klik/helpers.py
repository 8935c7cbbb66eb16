"""Reading what the KLIK pages and the export show."""

import io

import openpyxl


def listed(response):
    """The municipality task ids the list page shows, in order."""
    assert response.status_code == 200
    return [row.record.pk for row in response.context["table"].paginated_rows]


def workbook(response):
    """The exported workbook, read back with openpyxl."""
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def exported_links(response):
    """The task ids of the export's rows, in order (from the Link column)."""
    sheet = workbook(response)["KLIK-opgaver"]
    return [
        int(row[11].rstrip("/").rsplit("/", 1)[1])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
