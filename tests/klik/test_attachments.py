"""Issue 15: attachments — KOMBIT's for every municipality, a municipality's for itself alone,
checked by size, extension and content, stored under a random name, served only as a download."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from klik.models import Attachment, MunicipalityTask
from klik.services import attachment_add, task_create_local
from klik.uploads import SCAN_FAILED, SCAN_REFUSED
from tests.factories import TaskFactory, UserFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

pytestmark = pytest.mark.usefixtures("media")


def upload(name="referat.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def copies(naestved, hoersholm):
    """One KOMBIT task: (Næstved's copy, Hørsholm's copy)."""
    task = TaskFactory(title="Opsæt STS")
    return (
        MunicipalityTask.objects.get(task=task, municipality=naestved),
        MunicipalityTask.objects.get(task=task, municipality=hoersholm),
    )


def attach(client, mt, file):
    return client.post(f"/klik/{mt.pk}/bilag/", {"file": file}, follow=True)


def test_a_municipality_attaches_a_file_only_it_sees(client, leader, other_leader, copies, kombit):
    mine, theirs = copies
    client.force_login(leader)
    page = attach(client, mine, upload())
    assert "Filen er vedhæftet." in page.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.municipality_task == mine and attachment.task is None
    assert "referat.pdf" in page.content.decode()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="referat.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    for outsider in (other_leader, kombit):
        client.force_login(outsider)
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert "referat.pdf" not in client.get(theirs.get_absolute_url()).content.decode()
    assert "referat.pdf" not in client.get(mine.get_absolute_url()).content.decode()


def test_the_file_is_stored_under_a_random_name(leader, copies, media):
    attachment = attachment_add(user=leader, municipality_task=copies[0], upload=upload())
    assert attachment.file.name.startswith("klik/bilag/")
    assert "referat" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]


def test_kombit_attaches_to_its_task_for_every_municipality(
    client, kombit, leader, other_leader, copies
):
    mine, theirs = copies
    client.force_login(kombit)
    page = attach(client, mine, upload("vejledning.pdf"))
    assert "Filen er vedhæftet." in page.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.task == mine.task and attachment.is_shared
    for user, copy in ((leader, mine), (other_leader, theirs)):
        client.force_login(user)
        assert "vejledning.pdf" in client.get(copy.get_absolute_url()).content.decode()
        assert client.get(attachment.get_absolute_url()).status_code == 200
        assert copy.changes.filter(field="kombit_attachment", new_value="vejledning.pdf").exists()


def test_adding_and_removing_enter_the_history(
    leader_client, copies, media, django_capture_on_commit_callbacks
):
    mine = copies[0]
    attach(leader_client, mine, upload())
    attachment = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.post(
            f"/klik/bilag/{attachment.pk}/fjern/", {"next": mine.get_absolute_url()}
        )
    assert response.status_code == 302 and response.url == mine.get_absolute_url()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    page = leader_client.get(mine.get_absolute_url()).content.decode()
    assert "tilføjede bilaget «referat.pdf»" in page
    assert "fjernede bilaget «referat.pdf»" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", HTML, "Filens indhold passer ikke til filtypen .pdf."),
        ("billede.png", PDF, "Filens indhold passer ikke til filtypen .png."),
        ("program.exe", b"MZ\x90\x00\x03", "Filer af denne type kan ikke vedhæftes."),
        ("side.html", HTML, "Filer af denne type kan ikke vedhæftes."),
        ("tom.pdf", b"", "Den indsendte fil er tom."),
        ("....pdf", PDF, "Filnavnet kan ikke bruges."),
    ],
)
def test_a_file_that_breaks_a_rule_is_refused_with_a_danish_message(
    leader_client, copies, media, name, content, message
):
    page = attach(leader_client, copies[0], upload(name, content)).content.decode()
    assert message in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused(leader_client, copies, media, settings):
    settings.KLIK_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    page = attach(leader_client, copies[0], upload("stor.pdf", big)).content.decode()
    assert "Filen er større end 1 MB." in page
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_the_size_cap_defaults_to_20_mb_and_bounds_djangos_request_limits():
    from kombitpl.settings import base

    assert base.KLIK_ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024
    assert base.DATA_UPLOAD_MAX_MEMORY_SIZE == base.KLIK_ATTACHMENT_MAX_BYTES
    assert base.FILE_UPLOAD_MAX_MEMORY_SIZE == base.KLIK_ATTACHMENT_MAX_BYTES


def test_a_traversal_file_name_is_made_safe(leader, copies, media):
    attachment = attachment_add(
        user=leader, municipality_task=copies[0], upload=upload("..\\..\\etc\\passwd.pdf")
    )
    assert attachment.name == "passwd.pdf"
    assert ".." not in attachment.file.name
    assert all(media in p.parents for p in stored_files(media))


def test_a_name_that_could_break_the_header_is_cleaned(leader_client, leader, copies):
    attachment = attachment_add(
        user=leader, municipality_task=copies[0], upload=upload('a"b;c\r\n.pdf')
    )
    assert attachment.name == "abc.pdf"
    download = leader_client.get(attachment.get_absolute_url())
    assert download["Content-Disposition"] == 'attachment; filename="abc.pdf"'


def xlsx_bytes():
    book = Workbook()
    book.active["A1"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(*names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ark.xlsx", xlsx_bytes()),
        ("brev.docx", zip_bytes("[Content_Types].xml", "word/document.xml")),
        ("noter.txt", "Hej æøå\n".encode()),
        ("liste.csv", b"a,b,c\n1,2,3\n4,5,6\n"),
        ("foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
    ],
)
def test_allowed_kinds_are_accepted(leader, copies, name, content):
    attachment = attachment_add(
        user=leader, municipality_task=copies[0], upload=upload(name, content)
    )
    assert attachment.name == name


def test_a_plain_zip_named_docx_is_refused(leader, copies):
    with pytest.raises(ValidationError):
        attachment_add(
            user=leader, municipality_task=copies[0], upload=upload("brev.docx", zip_bytes("a.txt"))
        )


def refuse_every_file(file):
    raise ValidationError("virus")


def scanner_is_down(file):
    raise ConnectionError("clamd is not answering")


SCANNED = []


def remember_scanned_file(file):
    SCANNED.append(file.read())


@pytest.mark.parametrize(
    ("scanner", "message"),
    [("refuse_every_file", SCAN_REFUSED), ("scanner_is_down", SCAN_FAILED)],
)
def test_the_virus_scan_hook_can_refuse_a_file(leader, copies, media, settings, scanner, message):
    settings.KLIK_ATTACHMENT_SCANNER = f"tests.klik.test_attachments.{scanner}"
    with pytest.raises(ValidationError) as refused:
        attachment_add(user=leader, municipality_task=copies[0], upload=upload())
    assert refused.value.messages == [str(message)]
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_the_virus_scan_sees_the_file_before_it_is_accepted(leader, copies, settings):
    settings.KLIK_ATTACHMENT_SCANNER = "tests.klik.test_attachments.remember_scanned_file"
    SCANNED.clear()
    attachment_add(user=leader, municipality_task=copies[0], upload=upload())
    assert SCANNED == [PDF]


def test_readers_and_other_municipalities_cannot_attach(client, naestved, other_leader, copies):
    client.force_login(UserFactory(municipality=naestved))
    assert client.post(f"/klik/{copies[0].pk}/bilag/", {"file": upload()}).status_code == 403
    client.force_login(other_leader)
    assert client.post(f"/klik/{copies[0].pk}/bilag/", {"file": upload()}).status_code == 404
    assert not Attachment.objects.exists()


def test_another_municipality_cannot_remove_an_attachment(client, leader, other_leader, copies):
    attachment = attachment_add(user=leader, municipality_task=copies[0], upload=upload())
    client.force_login(other_leader)
    assert client.post(f"/klik/bilag/{attachment.pk}/fjern/").status_code == 404
    assert Attachment.objects.exists()


def test_a_municipality_cannot_remove_kombits_attachment(leader_client, kombit, copies):
    attachment = attachment_add(user=kombit, municipality_task=copies[0], upload=upload())
    assert leader_client.post(f"/klik/bilag/{attachment.pk}/fjern/").status_code == 403
    assert Attachment.objects.exists()


def test_kombit_never_reaches_a_local_tasks_attachment(client, leader, kombit, naestved):
    local = task_create_local(municipality=naestved, user=leader, title="Lokal")
    attachment = attachment_add(user=leader, municipality_task=local, upload=upload())
    client.force_login(kombit)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        attachment_add(user=kombit, municipality_task=local, upload=upload())


def test_a_deleted_local_tasks_attachments_are_no_longer_served(leader_client, leader, naestved):
    local = task_create_local(municipality=naestved, user=leader, title="Lokal")
    attachment = attachment_add(user=leader, municipality_task=local, upload=upload())
    leader_client.post(f"/klik/{local.pk}/slet/")
    assert leader_client.get(attachment.get_absolute_url()).status_code == 404


def test_media_files_have_no_public_url(client, leader, copies):
    attachment = attachment_add(user=leader, municipality_task=copies[0], upload=upload())
    client.force_login(leader)
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
