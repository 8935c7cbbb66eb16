import os

import pytest
from django.test import Client
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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files (attachments) go to a fresh folder of the test's own; returns it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
def clients(leader, kombit):
    """{"leader": a programme leader of Næstved, "kombit": KOMBIT staff}, logged in."""
    made = {}
    for name, user in (("leader", leader), ("kombit", kombit)):
        made[name] = Client()
        made[name].force_login(user)
    return made


@pytest.fixture
def danish():
    """Messages as the user reads them: validation texts rendered in Danish."""
    with translation.override("da"):
        yield
