from io import StringIO

import pytest
from django.core.management import call_command

from demo import demo_data


@pytest.fixture
def deck(db):
    """The deck's facts and the demo project galleries as `make run` loads them: 98
    municipalities, roles, project galleries (demo data: the deck names no project's roles)."""
    call_command("load_facts", stdout=StringIO())
    demo_data.project_roles_ensure()
