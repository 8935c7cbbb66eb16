"""Issue 15: "Gem som PDF" — the task page as one A4 PDF, seen by whoever sees the page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from klik.models import Colour
from klik.services import attachment_add, municipality_task_update, task_create_local
from tests.factories import PersonFactory, RoleAssignmentFactory, RoleFactory
from tests.klik.test_attachments import PDF

pytestmark = pytest.mark.usefixtures("media")


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def staffed(make_task, leader, naestved):
    """A red Næstved task with people, a role holder, a note, an attachment and history."""
    mt = make_task(Colour.RED, title="Opsæt adgangsstyring for BBR")
    role = RoleFactory(name="Brugeradministrator")
    mt.task.roles.add(role)
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved, name="Rolf Rolle"), role=role)
    municipality_task_update(
        municipality_task=mt,
        user=leader,
        data={
            "responsible": PersonFactory(municipality=naestved, name="Anna Ansvarlig"),
            "executor": PersonFactory(municipality=naestved, name="Ulla Udfører"),
            "note": "Venter på leverandøren.",
        },
        version=mt.version,
    )
    attachment_add(user=leader, municipality_task=mt, upload=SimpleUploadedFile("plan.pdf", PDF))
    return mt


def test_the_pdf_holds_title_status_people_roles_attachments_and_history(leader_client, staffed):
    response = leader_client.get(f"/klik/{staffed.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="klik-opgave-{staffed.pk}.pdf"'
    reader, text = pdf_text(response)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    for expected in (
        "Opsæt adgangsstyring for BBR",
        "Rød",
        "Næstved",
        "Anna Ansvarlig",
        "Ulla Udfører",
        "Brugeradministrator: Rolf Rolle",
        "Venter på leverandøren.",
        "plan.pdf",
        "Historik",
        "tilføjede bilaget «plan.pdf»",
    ):
        assert expected in text, expected


def test_the_task_page_offers_the_pdf(leader_client, staffed):
    page = leader_client.get(staffed.get_absolute_url()).content.decode()
    assert f'href="/klik/{staffed.pk}/pdf/"' in page and "Gem som PDF" in page


def test_a_local_tasks_pdf_says_it_is_local(leader_client, leader, naestved):
    local = task_create_local(municipality=naestved, user=leader, title="Egen opgave")
    _reader, text = pdf_text(leader_client.get(f"/klik/{local.pk}/pdf/"))
    assert "Egen opgave" in text and "Lokal opgave" in text


def test_the_pdf_has_the_pages_visibility(client, other_leader, kombit, staffed, leader, naestved):
    client.force_login(other_leader)
    assert client.get(f"/klik/{staffed.pk}/pdf/").status_code == 404
    local = task_create_local(municipality=naestved, user=leader, title="Egen opgave")
    client.force_login(kombit)
    assert client.get(f"/klik/{local.pk}/pdf/").status_code == 404
    response = client.get(f"/klik/{staffed.pk}/pdf/")
    assert response.status_code == 200
    _reader, text = pdf_text(response)
    # KOMBIT staff read the task, but not Næstved's own attachment or its trace in the history.
    assert "Anna Ansvarlig" in text and "plan.pdf" not in text
