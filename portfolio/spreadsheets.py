"""Spreadsheet-safe cells, shared by every Excel export."""

import re

from openpyxl.cell import WriteOnlyCell

# A spreadsheet runs text starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# Every character XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): C0 controls but tab,
# LF and CR, lone surrogates, U+FFFE and U+FFFF. openpyxl's ILLEGAL_CHARACTERS_RE lists only the
# controls, so U+FFFE/U+FFFF reached lxml, which refuses to write them: the export gave a 500.
XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """`value` as text without the characters an xlsx (XML 1.0) file cannot hold."""
    return XML_FORBIDDEN_RE.sub("", str(value))


def text_cell(sheet, value):
    """A cell holding `value` as plain text: never a formula, never an illegal character."""
    value = xml_safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
