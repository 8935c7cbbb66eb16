"""/klik/import/: upload, read the dry run, confirm or cancel; the file waits server-side."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from klik.models import MunicipalityTask, MunicipalityTaskChange, PendingImport, State, Task
from tests.factories import PersonFactory, ProgrammeLeaderFactory, UserFactory
from tests.klik.import_helpers import edit, export, sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT = "/klik/import/"


@pytest.fixture
def tasks(make_task, naestved):
    return [make_task() for _ in range(3)]


@pytest.fixture
def anna(naestved):
    return PersonFactory(municipality=naestved, name="Anna Andersen", email="anna@naestved.dk")


def upload(client, data, name="klik.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def text(response):
    """The page's visible text, tags dropped and spacing collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def total(response, outcome):
    match = re.search(rf'data-outcome="{outcome}">(\d+)<', response.content.decode())
    return int(match.group(1))


def states():
    return dict(MunicipalityTask.objects.values_list("pk", "state"))


def test_the_navigation_offers_the_import_to_those_who_may_use_it(leader_client, kombit, naestved):
    assert 'data-nav="import"' in leader_client.get("/").content.decode()
    staff = Client()
    staff.force_login(kombit)
    assert 'data-nav="import"' in staff.get("/").content.decode()
    nobody = UserFactory(municipality=None)
    other = Client()
    other.force_login(nobody)
    assert 'data-nav="import"' not in other.get("/klik/").content.decode()
    assert other.get(IMPORT).status_code == 403


def test_the_page_names_the_job_and_its_columns(leader_client):
    page = text(leader_client.get(IMPORT))
    assert "Næstved" in page and "Tilstand" in page and "Ansvarlig" in page and "Udfører" in page


def test_the_catalogue_page_lists_klik_style_columns(kombit_client):
    page = text(kombit_client.get(IMPORT))
    assert "KOMBITs katalog" in page
    assert "KLIK-id / Opgave-ID / KLIK-reference" in page and "Snitflader" in page


def test_an_upload_is_a_dry_run_kept_for_its_owner_then_confirmed(
    leader_client, leader, tasks, anna
):
    first = tasks[0]
    data = edit(export(leader_client), {first.pk: {"Ansvarlig": "Anna Andersen"}})
    before = MunicipalityTaskChange.objects.count()
    response = upload(leader_client, data)
    pending = PendingImport.objects.get()
    assert response.status_code == 302 and response.url == pending.get_absolute_url()
    assert bytes(pending.data) == data and pending.owner == leader

    report = leader_client.get(pending.get_absolute_url())
    assert "Prøvekørsel: intet er skrevet endnu" in text(report)
    assert total(report, "updated") == 1 and total(report, "unchanged") == 2
    assert "→ «Anna Andersen»" in text(report)
    # The dry run wrote nothing.
    first.refresh_from_db()
    assert first.responsible != anna and MunicipalityTaskChange.objects.count() == before

    done = leader_client.post(pending.get_absolute_url(), {"action": "confirm"}, follow=True)
    first.refresh_from_db()
    assert first.responsible == anna
    change = MunicipalityTaskChange.objects.get(municipality_task=first, field="responsible")
    assert change.changed_by == leader and change.new_value == "Anna Andersen"
    assert "Importen blev gemt: 0 oprettet, 1 opdateret." in text(done)
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.APPLIED and bytes(pending.data) == b""


def test_confirming_twice_writes_once(leader_client, leader, tasks, anna):
    data = edit(export(leader_client), {tasks[0].pk: {"Tilstand": "Kan ikke nås til tiden"}})
    upload(leader_client, data)
    url = PendingImport.objects.get().get_absolute_url()
    leader_client.post(url, {"action": "confirm"})
    count = MunicipalityTaskChange.objects.count()
    again = leader_client.post(url, {"action": "confirm"}, follow=True)
    assert MunicipalityTaskChange.objects.count() == count
    assert "Denne import er afsluttet" in text(again)


def test_cancel_deletes_the_upload_and_writes_nothing(leader_client, tasks):
    data = edit(export(leader_client), {tasks[0].pk: {"Tilstand": "Kan ikke nås til tiden"}})
    before = states()
    upload(leader_client, data)
    pending = PendingImport.objects.get()
    response = leader_client.post(pending.get_absolute_url(), {"action": "cancel"}, follow=True)
    assert not PendingImport.objects.exists()
    assert states() == before
    assert "Importen blev annulleret" in text(response)


def test_refused_rows_need_skip_refused_and_then_only_the_good_rows_are_written(
    leader_client, tasks, anna
):
    first, second, _ = tasks
    data = edit(
        export(leader_client),
        {
            first.pk: {"Tilstand": "Kan ikke nås til tiden"},
            second.pk: {"Ansvarlig": "Ingen Sådan Person"},
        },
    )
    upload(leader_client, data)
    pending = PendingImport.objects.get()
    report = leader_client.get(pending.get_absolute_url())
    assert total(report, "refused") == 1
    page = text(report)
    assert "Ingen person „Ingen Sådan Person“ i Næstved Kommune" in page
    assert "Ansvarlig" in page  # the refused row's column
    before = states()

    plain = leader_client.post(pending.get_absolute_url(), {"action": "confirm"})
    assert plain.status_code == 200
    assert "Spring de afviste rækker over" in text(plain)
    assert states() == before

    leader_client.post(pending.get_absolute_url(), {"action": "confirm", "skip_refused": "on"})
    assert MunicipalityTask.objects.get(pk=first.pk).state == State.BLOCKED
    assert MunicipalityTask.objects.get(pk=second.pk).responsible != anna


def test_a_change_in_the_app_after_the_dry_run_writes_nothing_and_shows_the_new_report(
    leader_client, leader, tasks
):
    from klik.services import municipality_task_update

    first = tasks[0]
    data = edit(export(leader_client), {first.pk: {"Tilstand": "Kan ikke nås til tiden"}})
    upload(leader_client, data)
    pending = PendingImport.objects.get()
    municipality_task_update(
        municipality_task=first, user=leader, data={"state": State.DONE}, version=first.version
    )
    response = leader_client.post(pending.get_absolute_url(), {"action": "confirm"}, follow=True)
    assert MunicipalityTask.objects.get(pk=first.pk).state == State.DONE
    page = text(response)
    assert "Data er ændret efter prøvekørslen, så intet blev skrevet" in page
    assert total(response, "refused") == 1  # now stale
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.PENDING


def test_a_hostile_file_is_refused_at_its_field_and_nothing_is_kept(leader_client, tasks):
    response = upload(leader_client, b"%PDF-1.4 not a workbook", name="opgaver.xlsx")
    assert response.status_code == 200
    assert "Filen er ikke en Excel-projektmappe (.xlsx)" in text(response)
    assert 'id="error-summary"' in response.content.decode()
    assert not PendingImport.objects.exists()


def test_no_file_is_a_message_not_a_500(leader_client):
    response = leader_client.post(IMPORT, {})
    assert response.status_code == 200
    assert "Feltet er påkrævet" in text(response) or "Dette felt er påkrævet" in text(response)


def test_an_upload_is_seen_only_by_its_owner(leader_client, naestved, tasks):
    upload(leader_client, export(leader_client))
    pending = PendingImport.objects.get()
    colleague = Client()
    colleague.force_login(ProgrammeLeaderFactory(municipality=naestved))
    assert colleague.get(pending.get_absolute_url()).status_code == 404
    assert colleague.post(pending.get_absolute_url(), {"action": "confirm"}).status_code == 404
    assert colleague.post(pending.get_absolute_url(), {"action": "cancel"}).status_code == 404
    assert PendingImport.objects.exists()


def test_a_new_upload_replaces_the_users_unconfirmed_one(leader_client, tasks):
    upload(leader_client, export(leader_client))
    upload(leader_client, export(leader_client))
    assert PendingImport.objects.count() == 1


def test_a_leader_uploading_another_municipalitys_export_gets_every_row_refused(
    leader_client, other_leader, make_task, hoersholm
):
    make_task(municipality=hoersholm)
    theirs = Client()
    theirs.force_login(other_leader)
    upload(leader_client, export(theirs))
    report = leader_client.get(PendingImport.objects.get().get_absolute_url())
    assert total(report, "refused") == 1 and total(report, "updated") == 0
    assert "Linket peger ikke på en af Næstved Kommunes opgaver" in text(report)


def test_kombit_staff_import_the_catalogue_through_the_page(kombit_client, naestved, hoersholm):
    from tests.factories import ProjectFactory

    ProjectFactory(short_name="BBR", slug="bbr")
    data = sheet([["Opgavetitel", "Projekt", "Slutdato"], ["Ryd op", "BBR", "31-05-2027"]])
    upload(kombit_client, data)
    pending = PendingImport.objects.get()
    assert pending.municipality is None
    assert total(kombit_client.get(pending.get_absolute_url()), "created") == 1
    assert not Task.objects.exists()
    kombit_client.post(pending.get_absolute_url(), {"action": "confirm"})
    assert Task.objects.get().title == "Ryd op"
    assert MunicipalityTask.objects.count() == 2


def test_the_upload_and_the_confirmation_need_a_csrf_token(leader, tasks):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    data = export(client)
    assert upload(client, data).status_code == 403
    assert not PendingImport.objects.exists()
    page = client.get(IMPORT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        IMPORT,
        {
            "file": SimpleUploadedFile("k.xlsx", data, content_type=XLSX),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert client.post(pending.get_absolute_url(), {"action": "confirm"}).status_code == 403


def test_the_login_is_required(client):
    response = client.get(IMPORT)
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_file_name_with_control_characters_is_kept_without_them(leader_client, tasks):
    response = upload(leader_client, export(leader_client), name="eks\x00port\x07.xlsx")
    assert response.status_code == 302
    assert PendingImport.objects.get().file_name == "eksport.xlsx"


def test_cancel_after_the_import_was_applied_keeps_its_report_and_says_so(leader_client, tasks):
    data = edit(export(leader_client), {tasks[0].pk: {"Tilstand": "Kan ikke nås til tiden"}})
    upload(leader_client, data)
    pending = PendingImport.objects.get()
    leader_client.post(pending.get_absolute_url(), {"action": "confirm"})
    # The dry-run page, still open in another tab, posts its "Annullér".
    response = leader_client.post(pending.get_absolute_url(), {"action": "cancel"}, follow=True)
    assert "Denne import er afsluttet" in text(response)
    assert "annulleret" not in text(response)
    assert PendingImport.objects.get().status == PendingImport.Status.APPLIED


def test_a_confirmation_that_finds_the_import_done_writes_nothing(leader, tasks):
    from klik.imports.pending import import_confirm

    client = Client()
    client.force_login(leader)
    data = edit(export(client), {tasks[0].pk: {"Tilstand": "Kan ikke nås til tiden"}})
    upload(client, data)
    pending = PendingImport.objects.get()
    stale_copy = PendingImport.objects.get()  # what a second request loaded before the first
    assert import_confirm(pending, user=leader) is not None
    count = MunicipalityTaskChange.objects.count()
    assert import_confirm(stale_copy, user=leader) is None
    assert MunicipalityTaskChange.objects.count() == count


def test_expiry_spares_finished_imports(leader_client, tasks):
    import datetime

    from django.utils import timezone

    upload(leader_client, export(leader_client))
    pending = PendingImport.objects.get()
    leader_client.post(pending.get_absolute_url(), {"action": "cancel"})
    upload(leader_client, edit(export(leader_client), {tasks[0].pk: {"Tilstand": "Løst"}}))
    done = PendingImport.objects.get()
    leader_client.post(done.get_absolute_url(), {"action": "confirm"})
    old = timezone.now() - datetime.timedelta(days=2)
    PendingImport.objects.update(created_at=old)
    assert not PendingImport.objects.expired().exists()
