"""The access matrix: every URL pattern of the site, asked by every kind of user, by GET and
by POST, answers what the table in tests/access/matrix.py declares. A pattern without a row
fails, so a new page cannot go live without someone deciding who may see it."""

import pytest
from django.db import transaction

from tests.access.matrix import (
    ROLES,
    ROWS,
    all_patterns,
    expected,
    objects_make,
    row_key,
    url_for,
)


def test_every_url_pattern_has_a_row_in_the_access_table(db):
    patterns = all_patterns()
    missing = [p.route for p in patterns if p.key is None]
    assert missing == [], "add a row to tests/access/matrix.py ROWS for each of these"
    assert row_key("klik:new_page", "klik/ny/") is None  # a new page is not covered by chance
    unused = set(ROWS) - {p.key for p in patterns}
    assert unused == set(), "rows for patterns that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_access_table_declares(
    client, naestved, hoersholm, role
):
    objects = objects_make(naestved, hoersholm)
    if role != "anonymous":
        client.force_login(objects.users[role])
    wrong = []
    for pattern in all_patterns():
        url = url_for(pattern, objects)
        for method in ("GET", "POST"):
            # Each request in its own rolled-back transaction: a POST that changes something
            # (a retired person, a logout) does not change what the next request finds.
            session = dict(client.cookies.items())
            with transaction.atomic():
                response = client.generic(method, url)
                transaction.set_rollback(True)
            client.cookies.update(session)
            want = expected(pattern, role, method)
            if response.status_code != want:
                wrong.append(f"{method} {url} ({pattern.key}): {response.status_code}, want {want}")
    assert wrong == []
