"""No text breaks an export: not in the query string, not stored in the database.

lxml refuses characters XML 1.0 forbids, U+FFFE and U+FFFF among them, that openpyxl's own
check lets through; a filter value or a saved name holding one gave a 500.
"""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from klik.filters import KlikFilterSet
from klik.models import Colour, Task
from portfolio.models import Municipality, Project, SupportSystem
from portfolio.spreadsheets import xml_safe
from rollegalleri.filters import StaffingFilter
from rollegalleri.models import Person, Role
from tests.factories import (
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SupportSystemFactory,
)
from tests.unicode import EXAMPLES, query_strings, storable_text

# Four exports per example: fewer examples keep this test as quick as the others.
STORED_EXAMPLES = settings(EXAMPLES, max_examples=25)

pytestmark = pytest.mark.django_db

KLIK_PARAMETERS = [*KlikFilterSet.base_filters, "sort", "page", "per_page"]
STAFFING_PARAMETERS = [*StaffingFilter.base_filters, "municipality"]
EXPORTS = {
    "/klik/eksport.xlsx": KLIK_PARAMETERS,
    "/roller/bemanding/eksport.xlsx": STAFFING_PARAMETERS,
}


def opened(response):
    """The exported workbook, read back with openpyxl, every sheet of it."""
    assert response.status_code == 200
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 2
    for sheet in workbook:
        list(sheet.values)
    return workbook


def downloads_or_refuses(response, query):
    """A municipal user naming a municipality may get 404; anything else is a workbook."""
    if response.status_code == 404 and "municipality=" in query:
        return
    opened(response)


@pytest.fixture
def staffed(naestved, make_task):
    """A red Næstved task with a responsible who also holds a required role in its project."""
    project = ProjectFactory(short_name="BBR", slug="bbr")
    system = SupportSystemFactory(name="STS Adgangsstyring", slug="sts-adgangsstyring")
    mt = make_task(Colour.RED, project=project, support_system=system)
    role = RoleFactory(name="Tekniker", slug="tekniker")
    ProjectRoleFactory(project=project, role=role)
    RoleAssignmentFactory(person=mt.responsible, role=role, project=project)
    return mt


@pytest.mark.parametrize("user", ["leader", "kombit"])
@pytest.mark.parametrize("path", list(EXPORTS))
def test_u_ffff_in_any_query_parameter_still_downloads(clients, staffed, user, path):
    for name in EXPORTS[path]:
        query = f"{name}=%EF%BF%BF"
        downloads_or_refuses(clients[user].get(f"{path}?{query}"), query)


def test_the_filter_sheet_shows_the_search_without_the_noncharacter(leader_client, staffed):
    workbook = opened(leader_client.get("/klik/eksport.xlsx?q=Opgave%EF%BF%BF"))
    values = [row[1] for row in workbook["Filtre"].iter_rows(min_row=2, values_only=True)]
    assert "Opgave" in values


@pytest.mark.parametrize("path", list(EXPORTS))
def test_no_query_string_breaks_an_export(clients, staffed, path):
    @EXAMPLES
    @given(user=st.sampled_from(list(clients)), query=query_strings(EXPORTS[path]))
    @example(user="kombit", query="q=%EF%BF%BF")
    @example(user="leader", query="project=%EF%BF%BE&category=%00")
    def check(user, query):
        downloads_or_refuses(clients[user].get(f"{path}?{query}"), query)

    check()


def every_export(clients):
    """The four exports: KLIK and staffing, for the municipality and as KOMBIT staff."""
    return [
        clients["leader"].get("/klik/eksport.xlsx"),
        clients["kombit"].get("/klik/eksport.xlsx"),
        clients["leader"].get("/roller/bemanding/eksport.xlsx"),
        clients["kombit"].get("/roller/bemanding/eksport.xlsx"),
    ]


def test_a_stored_name_with_u_ffff_breaks_no_export(clients, staffed):
    # The person form refuses U+FFFF now; update() stands for a name saved before it did.
    Person.objects.filter(pk=staffed.responsible_id).update(name="Ane\uffff Andersen")
    municipal, national, staffing, _ = (opened(r) for r in every_export(clients))
    assert municipal["KLIK-opgaver"]["J2"].value == "Ane Andersen"
    national_names = [row[9] for row in national["KLIK-opgaver"].iter_rows(values_only=True)]
    assert "Ane Andersen" in national_names
    persons = [row[6] for row in staffing.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "Ane Andersen" in persons


def test_no_stored_text_breaks_an_export(clients, staffed):
    # One text for every column an export shows; 20 characters fit the shortest (a project's).
    @STORED_EXAMPLES
    @given(text=storable_text(max_size=20))
    @example(text="\uffff")
    @example(text="=1+1\ufffe\x01")
    def check(text):
        Person.objects.filter(pk=staffed.responsible_id).update(name=text)
        Task.objects.filter(pk=staffed.task_id).update(title=text)
        Project.objects.filter(pk=staffed.task.project_id).update(short_name=text)
        SupportSystem.objects.filter(pk=staffed.task.support_system_id).update(name=text)
        Role.objects.filter(slug="tekniker").update(name=text)
        Municipality.objects.filter(pk=staffed.municipality_id).update(name=text)
        municipal, *_ = (opened(response) for response in every_export(clients))
        title = municipal["KLIK-opgaver"]["C2"].value
        assert title == (xml_safe(text) or None)

    check()


def test_the_raw_xml_of_an_export_holds_no_forbidden_character(leader_client, staffed):
    Person.objects.filter(pk=staffed.responsible_id).update(name="A\ufffeB\uffffC\x0bD")
    response = leader_client.get("/klik/eksport.xlsx?q=%EF%BF%BF")
    raw = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    for name in raw.namelist():
        text = raw.read(name).decode("utf-8")
        assert xml_safe(text) == text, name
