"""Links into pages whose URLs the design fixes (`/klik/`), built from their query parameters."""

from urllib.parse import urlencode

from django import template

register = template.Library()

KLIK_LIST_PATH = "/klik/"


def klik_url(**params):
    """`/klik/` with the given filters; lists repeat their key, empty values are left out."""
    pairs = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(v)) for v in values if v not in (None, "")]
    return f"{KLIK_LIST_PATH}?{urlencode(pairs)}" if pairs else KLIK_LIST_PATH


register.simple_tag(klik_url, name="klik_url")
