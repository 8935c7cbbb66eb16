from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def deck(db):
    """The deck's facts as `make run` loads them: 98 municipalities, roles, project galleries."""
    call_command("load_facts", stdout=StringIO())
