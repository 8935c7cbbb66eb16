import os

import pytest
from django.utils import translation

from tests.factories import (
    KombitStaffFactory,
    MunicipalityFactory,
    ProgrammeLeaderFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def naestved(db):
    return MunicipalityFactory(code="370", name="Næstved")


@pytest.fixture
def hoersholm(db):
    return MunicipalityFactory(code="223", name="Hørsholm")


@pytest.fixture
def leader(naestved):
    """A programme leader of Næstved."""
    return ProgrammeLeaderFactory(username="naestved", municipality=naestved)


@pytest.fixture
def other_leader(hoersholm):
    """A programme leader of Hørsholm."""
    return ProgrammeLeaderFactory(username="hoersholm", municipality=hoersholm)


@pytest.fixture
def kombit(db):
    return KombitStaffFactory(username="kombit")


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def kombit_client(client, kombit):
    client.force_login(kombit)
    return client


@pytest.fixture
def danish():
    """Messages as the user reads them: validation texts rendered in Danish."""
    with translation.override("da"):
        yield


_serialized_contents = {}


def _carry_serialized_contents():
    """Keep serialized_rollback working after Playwright has started.

    Playwright's event loop makes the test thread count as async, so Django's connection
    handler (an asgiref Local) hands out a new connection object that lacks the serialized
    test data. A transactional test's flush then re-runs post_migrate and the next one is not
    given back the rows the data migrations made (the groups). Carry the data over.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if hasattr(connection, "_test_serialized_contents"):
            _serialized_contents[alias] = connection._test_serialized_contents
        elif alias in _serialized_contents:
            connection._test_serialized_contents = _serialized_contents[alias]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _carry_serialized_contents()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    _carry_serialized_contents()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the transactional (browser) tests after all other database tests.

    pytest-django puts them last, but pytest's own fixture-scope reordering runs afterwards
    and, grouping by Playwright's session-scoped browser parameter, moved them into the
    middle: every database test after them then met a flushed database without the groups
    the migrations made. A stable sort keeps every other order as it was.
    """

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        flagged = bool(marker and marker.kwargs.get("transaction"))
        return flagged or "live_server" in getattr(item, "fixturenames", ())

    items.sort(key=transactional)
