"""Links into pages whose URLs the design fixes (`/klik/`), built from their query parameters."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@cache
def _klik_list_path(script_prefix):
    return reverse("klik:list")


def klik_list_path():
    """The KLIK list's path, reversed once per script prefix: pages such as the overview build
    hundreds of these links, and each reverse() costs far more than the rest of a link."""
    return _klik_list_path(get_script_prefix())


def klik_url(**params):
    """`/klik/` with the given filters; lists repeat their key, empty values are left out."""
    pairs = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(v)) for v in values if v not in (None, "")]
    path = klik_list_path()
    return f"{path}?{urlencode(pairs)}" if pairs else path


register.simple_tag(klik_url, name="klik_url")


# Red and yellow of a dashboard matrix cell: (colour, symbol, label). Built in Python because
# the national matrix has hundreds of cells and an {% include %} per cell cost most of the page.
_MATRIX_COUNTS = (("red", "✖", "Red"), ("yellow", "!", "Yellow"))


@register.simple_tag
def red_yellow(red, yellow, code, slug):
    """The red and yellow counts of a matrix cell, each linked to /klik/ for the municipality
    `code` and project `slug` ("" = all projects; "-" = programme tasks: no link, as /klik/
    cannot filter to them)."""
    parts = []
    for (colour, symbol, label), count in zip(_MATRIX_COUNTS, (red, yellow), strict=True):
        if not count:
            continue
        word = _(label)
        inner = format_html(
            '<span aria-hidden="true">{}</span> {}<span class="sr-only"> {}</span>',
            symbol,
            count,
            word,
        )
        if slug == "-":
            parts.append(
                format_html(
                    '<span class="matrix-count klik-{}" title="{}">{}</span>', colour, word, inner
                )
            )
        else:
            url = klik_url(status=colour, municipality=code, project=slug)
            parts.append(
                format_html(
                    '<a class="matrix-count klik-{}" href="{}" title="{}">{}</a>',
                    colour,
                    url,
                    word,
                    inner,
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


_LINK_FILTERS = ("project", "support_system", "municipality", "interface", "q")
_ICONS = {"red": "✖", "yellow": "!", "green": "✔", "grey": "◷"}


@register.simple_tag
def colour_links(counts, **filters):
    """Colour counts [(Colour, n)], each a chip linking to /klik/ with the same `filters`
    (project, support_system, municipality, interface, q). Built in Python: the overview shows
    hundreds of them, and a template loop with a tag per link cost most of its time."""
    # The /klik/ links keep one parameter order, whichever order the template names them in.
    filters = {k: filters[k] for k in _LINK_FILTERS if k in filters}
    items = [
        format_html(
            '\n  <li><a href="{}" class="colour-link" data-colour="{}" data-count="{}">'
            '<span class="colour-link-count">{}</span> <span class="klik-chip klik-{}">'
            '<span class="klik-icon" aria-hidden="true">{}</span> {}</span></a></li>',
            klik_url(status=colour.value, **filters),
            colour.value,
            count,
            count,
            colour.value,
            _ICONS[colour.value],
            colour.label,
        )
        for colour, count in counts
    ]
    return format_html(
        '<ul class="colour-links nobullet-list">{}\n</ul>', mark_safe("".join(items))
    )  # noqa: S308


@register.filter
def sources(facts):
    """The distinct sources of `facts` (rows with a `source`), in order, joined by "; ": one
    line under a list of facts instead of one per fact. Empty when none is stated."""
    seen = []
    for fact in facts:
        if fact.source and fact.source not in seen:
            seen.append(fact.source)
    return "; ".join(seen)
