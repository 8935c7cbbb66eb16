"""Links into pages whose URLs the design fixes (`/klik/`), built from their query parameters."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse

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
