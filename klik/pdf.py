"""A KLIK task as one A4 PDF, rendered by WeasyPrint from the task page's own context."""

from django.template.loader import render_to_string

PDF_TEMPLATE = "klik/task_pdf.html"
# The page's colours, so the PDF's status chip looks as on screen (text carries the word too).
COLOUR_HEX = {"red": "#c92b2b", "yellow": "#d9a800", "green": "#358745", "grey": "#8a8a8a"}


def task_pdf(context, request) -> bytes:
    """The PDF of one task page; `context` is the page's own template context."""
    # Imported here: WeasyPrint loads Pango when imported, and only this download needs it.
    from weasyprint import HTML

    html = render_to_string(
        PDF_TEMPLATE, {**context, "colour_hex": COLOUR_HEX[context["mt"].colour]}, request
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
