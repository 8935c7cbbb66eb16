"""Arbitrary Unicode for hypothesis, and XML 1.0's own rule to check our regex against."""

from urllib.parse import quote, quote_from_bytes

from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest, so the suite stays fast; the client fixtures are set up once for all examples, and
# no example database is written into the work tree.
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The forbidden characters and their allowed neighbours, so every example set meets both:
# arbitrary code points alone would almost never draw U+FFFF.
EDGES = [
    *"\x00\x01\x08\t\n\x0b\x0c\r\x0e\x1f \x7f\x85\ufeff",
    "\ud7ff",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ue000",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\U00010000",
    "\U0010ffff",
]


def xml_allowed(char):
    """XML 1.0's Char production, spelled out: https://www.w3.org/TR/xml/#charsets."""
    n = ord(char)
    return (
        n in (0x9, 0xA, 0xD)
        or 0x20 <= n <= 0xD7FF
        or 0xE000 <= n <= 0xFFFD
        or 0x10000 <= n <= 0x10FFFF
    )


# Every code point, lone surrogates included.
any_text = st.text(st.characters(exclude_categories=()) | st.sampled_from(EDGES))


def storable_text(max_size):
    """Text a database column can hold: no lone surrogates anywhere, no NUL on PostgreSQL."""
    refused = {"\x00"} if connection.vendor == "postgresql" else set()
    alphabet = st.characters(exclude_categories=("Cs",), exclude_characters=refused)
    edges = [c for c in EDGES if not 0xD800 <= ord(c) <= 0xDFFF and c not in refused]
    return st.text(alphabet | st.sampled_from(edges), max_size=max_size)


# A query string value as a browser or a script could send it: any text, or any bytes at all.
query_value = any_text.map(lambda s: quote(s.encode("utf-8", "surrogatepass"))) | st.binary().map(
    quote_from_bytes
)


def query_strings(names):
    """Query strings of one to four `name=value` pairs, names drawn from `names`."""
    pair = st.tuples(st.sampled_from(names), query_value)
    return st.lists(pair, min_size=1, max_size=4).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    )
