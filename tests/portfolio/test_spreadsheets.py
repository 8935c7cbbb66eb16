"""The shared spreadsheet cell: whatever the text, the workbook is written and reads back."""

import io

import openpyxl
from hypothesis import example, given

from portfolio.spreadsheets import text_cell, xml_safe
from tests.unicode import EXAMPLES, any_text, xml_allowed


@EXAMPLES
@given(text=any_text)
@example(text="\uffff")
@example(text="\ufffe")
@example(text="A\ud800B\udfffC")
def test_xml_safe_drops_exactly_what_xml_forbids(text):
    assert xml_safe(text) == "".join(c for c in text if xml_allowed(c))


@EXAMPLES
@given(text=any_text)
@example(text="=1+1\uffff")
@example(text="\x00\x1f\ufffe")
def test_any_text_in_a_cell_gives_a_workbook_that_opens(text):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Ark")
    sheet.append([text_cell(sheet, text)])
    out = io.BytesIO()
    workbook.save(out)
    cell = openpyxl.load_workbook(out)["Ark"]["A1"]
    # What XML can hold reads back exactly as written (an empty cell reads back as None).
    assert cell.value == (xml_safe(text) or None)
