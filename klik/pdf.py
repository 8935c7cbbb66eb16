"""A KLIK task as one A4 PDF, rendered by WeasyPrint from the task page's own context."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .models import COLOUR_SHADES

PDF_TEMPLATE = "klik/task_pdf.html"
PDF_STYLESHEET = "css/task_pdf.css"


def chip_css():
    """The status chip in the page's own shades (the text carries the word too)."""
    return "\n".join(
        f".chip.{c} {{ background: #{s.fill}; color: #{s.ink}; border: .5pt solid #{s.edge}; }}"
        for c, s in COLOUR_SHADES.items()
    )


def task_pdf(context, request) -> bytes:
    """The PDF of one task page; `context` is the page's own template context."""
    # Imported here: WeasyPrint loads Pango when imported, and only this download needs it.
    from weasyprint import CSS, HTML

    html = render_to_string(PDF_TEMPLATE, context, request)
    stylesheets = [CSS(filename=finders.find(PDF_STYLESHEET)), CSS(string=chip_css())]
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=stylesheets
    )
