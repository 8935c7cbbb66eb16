"""Issue 15: a municipality's own local tasks, seen by it alone, edited and deleted softly."""

import pytest
from django.core.exceptions import PermissionDenied

from klik.models import Colour, MunicipalityTask, MunicipalityTaskChange, State, Task
from klik.services import task_create_local, task_update_local
from tests.factories import (
    InterfaceFactory,
    PersonFactory,
    ProjectFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SupportSystemFactory,
    TaskFactory,
    UserFactory,
)
from tests.klik.conftest import DAY, today
from tests.klik.test_exports import workbook

TITLE = "Lokal oprydning i AD-grupper"


@pytest.fixture
def local(naestved, hoersholm, leader):
    """A red local task of Næstved with a project, support system, interface and role."""
    project = ProjectFactory(slug="bbr", short_name="BBR")
    system = SupportSystemFactory(slug="sts", name="STS Adgangsstyring")
    interface = InterfaceFactory(code="SF1511", support_system=system)
    role = RoleFactory(slug="lokal-it", name="Lokal IT")
    return task_create_local(
        municipality=naestved,
        user=leader,
        title=TITLE,
        description="Kun for Næstved.",
        project=project,
        support_system=system,
        interfaces=[interface],
        roles=[role],
        starts_on=today() - 30 * DAY,
        deadline=today() - DAY,
    )


def form_data(**overrides):
    return {
        "title": TITLE,
        "description": "",
        "project": "",
        "support_system": "",
        "starts_on": "",
        "deadline": (today() + 60 * DAY).isoformat(),
        "responsible": "",
        "executor": "",
        **overrides,
    }


def test_a_programme_leader_creates_a_local_task_with_one_copy(leader_client, naestved, hoersholm):
    person = PersonFactory(municipality=naestved, name="Lise Lokal")
    response = leader_client.post("/klik/ny/", form_data(responsible=person.pk, executor=person.pk))
    task = Task.objects.get(title=TITLE)
    copy = task.municipality_tasks.get()
    assert response.status_code == 302 and response.url == copy.get_absolute_url()
    assert task.municipality == naestved and copy.municipality == naestved
    assert copy.responsible == person and copy.executor == person
    page = leader_client.get(copy.get_absolute_url()).content.decode()
    assert "Lokal opgave" in page and "oprettede den lokale opgave" in page


def test_the_list_marks_a_local_task(leader_client, local):
    page = leader_client.get("/klik/").content.decode()
    assert TITLE in page and '<span class="klik-local">Lokal opgave</span>' in page


def test_a_local_task_follows_the_traffic_light(leader, local):
    mt = MunicipalityTask.objects.visible_to(leader).with_colour().get(pk=local.pk)
    assert mt.colour == Colour.RED
    local.task.deadline = today() + 60 * DAY
    local.task.save()
    mt = MunicipalityTask.objects.visible_to(leader).with_colour().get(pk=local.pk)
    assert mt.colour == Colour.YELLOW  # nobody responsible yet


def test_another_municipality_never_sees_a_local_task(client, other_leader, local):
    client.force_login(other_leader)
    assert client.get(local.get_absolute_url()).status_code == 404
    assert client.get(f"/klik/{local.pk}/rediger/").status_code == 404
    assert client.post(f"/klik/{local.pk}/slet/").status_code == 404
    assert TITLE not in client.get("/klik/").content.decode()
    assert TITLE not in client.get("/roller/lokal-it/").content.decode()


def test_kombit_staff_see_neither_a_local_task_nor_any_count_of_it(kombit_client, local):
    assert kombit_client.get(local.get_absolute_url()).status_code == 404
    listed = kombit_client.get("/klik/")
    assert TITLE not in listed.content.decode()
    assert {f["colour"]: f["count"] for f in listed.context["facets"]}[Colour.RED] == 0
    sheet = workbook(kombit_client.get("/klik/eksport.xlsx"))["KLIK-opgaver"]
    assert sheet.max_row == 1
    dashboard = kombit_client.get("/")
    assert all(count == 0 for _colour, count in dashboard.context["colours"])
    # Every municipality is listed (issue 13), none with a red or yellow count.
    assert all(row["red"] == row["yellow"] == 0 for row in dashboard.context["matrix"]["rows"])
    overview = kombit_client.get("/overblik/")
    assert not any(row["has_tasks"] for row in overview.context["rows"])
    project = kombit_client.get("/projekter/bbr/")
    assert project.context["tasks"] == []
    for url in ("/snitflader/SF1511/", "/overblik/sts/"):
        response = kombit_client.get(url)
        assert response.context["tasks"] == [] and TITLE not in response.content.decode()
    assert TITLE not in kombit_client.get("/roller/lokal-it/").content.decode()
    assert MunicipalityTask.objects.visible_to(listed.wsgi_request.user).count() == 0


def test_kombit_staff_do_not_find_a_local_task_in_the_admin(client, kombit, local):
    kombit.is_staff = True
    kombit.save()
    client.force_login(kombit)
    for url in (
        "/admin/klik/task/",
        "/admin/klik/municipalitytask/",
        "/admin/klik/municipalitytaskchange/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert TITLE not in response.content.decode()


def test_the_origin_filter_separates_local_from_kombit_tasks(leader_client, local):
    TaskFactory(title="KOMBITs opgave")
    local_page = leader_client.get("/klik/?origin=local").content.decode()
    assert TITLE in local_page and "KOMBITs opgave" not in local_page
    kombit_page = leader_client.get("/klik/?origin=kombit").content.decode()
    assert TITLE not in kombit_page and "KOMBITs opgave" in kombit_page
    sheet = workbook(leader_client.get("/klik/eksport.xlsx?origin=local"))["KLIK-opgaver"]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == [TITLE]


def test_a_bad_origin_lists_nothing_and_says_why(leader_client, local):
    response = leader_client.get("/klik/?origin=everything")
    assert response.status_code == 200
    assert TITLE not in response.content.decode()
    assert "origin" in response.context["filter"].errors


def test_the_export_marks_local_tasks(leader_client, local):
    TaskFactory(title="KOMBITs opgave")
    sheet = workbook(leader_client.get("/klik/eksport.xlsx?sort=title"))["KLIK-opgaver"]
    rows = {row[2].value: row[12].value for row in sheet.iter_rows(min_row=2)}
    assert rows == {TITLE: "Lokal opgave", "KOMBITs opgave": "KOMBIT"}


def test_editing_a_local_task_records_history_and_refuses_a_stale_form(leader_client, local):
    url = f"/klik/{local.pk}/rediger/"
    assert leader_client.get(url).status_code == 200
    response = leader_client.post(url, form_data(title="Nyt navn", version=local.version))
    assert response.status_code == 302
    change = MunicipalityTaskChange.objects.get(municipality_task=local, field="title")
    assert (change.old_value, change.new_value) == (TITLE, "Nyt navn")
    stale = leader_client.post(url, form_data(title="Tredje navn", version=local.version))
    assert stale.status_code == 200
    assert "En anden har gemt opgaven" in stale.content.decode()
    assert Task.objects.get(pk=local.task_id).title == "Nyt navn"


def test_the_state_of_a_local_task_is_edited_on_its_page(leader_client, local):
    response = leader_client.post(
        local.get_absolute_url(),
        {
            "version": local.version,
            "state": State.DONE,
            "note": "",
            "responsible": "",
            "executor": "",
        },
    )
    assert response.status_code == 302
    assert MunicipalityTask.objects.get(pk=local.pk).state == State.DONE


def test_deleting_a_local_task_asks_first_and_keeps_its_history(leader_client, leader, local):
    page = leader_client.get(f"/klik/{local.pk}/slet/")
    assert page.status_code == 200 and "confirm-delete" in page.content.decode()
    assert Task.objects.get(pk=local.task_id).deleted_at is None
    response = leader_client.post(f"/klik/{local.pk}/slet/")
    assert response.status_code == 302 and response.url == "/klik/"
    task = Task.objects.get(pk=local.task_id)
    assert task.deleted_at is not None and task.deleted_by == leader
    assert leader_client.get(local.get_absolute_url()).status_code == 404
    assert TITLE not in leader_client.get("/klik/").content.decode()
    fields = set(local.changes.values_list("field", flat=True))
    assert {"created", "deleted"} <= fields
    assert MunicipalityTask.objects.visible_to(leader).count() == 0


def test_a_deleted_task_leaves_a_persons_open_tasks(leader, naestved, local):
    person = PersonFactory(municipality=naestved)
    RoleAssignmentFactory(person=person)
    local.responsible = person
    local.save()
    assert list(person.open_klik_tasks()) == [local]
    local.task.deleted_at = local.updated_at
    local.task.save()
    assert list(person.open_klik_tasks()) == []


def test_kombit_tasks_cannot_be_edited_or_deleted_as_local_ones(leader_client, leader, naestved):
    copy = MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)
    assert leader_client.get(f"/klik/{copy.pk}/rediger/").status_code == 404
    assert leader_client.post(f"/klik/{copy.pk}/slet/").status_code == 404
    with pytest.raises(PermissionDenied):
        task_update_local(municipality_task=copy, user=leader, data={"title": "x"}, version=0)


def test_a_user_who_may_not_edit_tasks_creates_no_local_task(client, naestved):
    client.force_login(UserFactory(municipality=naestved))
    assert client.get("/klik/ny/").status_code == 403
    assert client.post("/klik/ny/", form_data()).status_code == 403
    assert not Task.objects.filter(title=TITLE).exists()


def test_kombit_staff_create_no_local_task(kombit_client):
    assert kombit_client.get("/klik/ny/").status_code == 403


def test_a_person_of_another_municipality_is_a_404(leader_client, hoersholm):
    # As everywhere (issue 8): another municipality's object named in a form is a 404.
    stranger = PersonFactory(municipality=hoersholm)
    response = leader_client.post("/klik/ny/", form_data(responsible=stranger.pk))
    assert response.status_code == 404
    assert not Task.objects.filter(title=TITLE).exists()


def test_a_retired_person_of_ones_own_is_a_form_error(leader_client, naestved):
    retired = PersonFactory(municipality=naestved, retired_on=today() - DAY)
    response = leader_client.post("/klik/ny/", form_data(responsible=retired.pk))
    assert response.status_code == 200
    assert "responsible" in response.context["form"].errors
    assert not Task.objects.filter(title=TITLE).exists()


def test_a_deadline_before_the_start_is_refused_in_danish(leader_client):
    response = leader_client.post(
        "/klik/ny/",
        form_data(starts_on=today().isoformat(), deadline=(today() - DAY).isoformat()),
    )
    assert response.status_code == 200
    assert "Slutdatoen kan ikke ligge før startdatoen." in response.content.decode()
    assert not Task.objects.filter(title=TITLE).exists()


def test_publishing_again_gives_a_local_task_no_more_copies(naestved, hoersholm, local):
    from klik.services import municipality_tasks_ensure

    assert municipality_tasks_ensure(task=local.task) == 0
    assert local.task.municipality_tasks.count() == 1


# --- Main's newer readers of tasks (issues 9 and 10) -----------------------------------------


def test_the_round_trip_updates_a_local_task_of_its_municipality(leader_client, leader, local):
    from tests.klik.import_helpers import edit, export, outcomes, run

    anna = PersonFactory(municipality=local.municipality, name="Anna Lokal")
    data = edit(export(leader_client), {local.pk: {"Ansvarlig": "Anna Lokal"}})
    report = run(data, user=leader, municipality=leader.municipality)
    assert outcomes(report) == ["updated"]
    local.refresh_from_db()
    assert local.responsible == anna
    assert local.changes.filter(field="responsible").exists()


def test_the_round_trip_refuses_a_deleted_local_task_in_danish(
    leader_client, leader, local, danish
):
    from klik.imports.round_trip import DELETED_TASK
    from klik.services import task_delete_local
    from tests.klik.import_helpers import edit, export, run

    anna = PersonFactory(municipality=local.municipality, name="Anna Lokal")
    data = edit(export(leader_client), {local.pk: {"Ansvarlig": anna.name}})
    task_delete_local(municipality_task=local, user=leader)
    before = MunicipalityTaskChange.objects.count()
    report = run(data, user=leader, municipality=leader.municipality)
    (refused,) = report.refused_rows
    assert refused.reason == str(DELETED_TASK)
    assert "slettet" in refused.reason
    local.refresh_from_db()
    assert local.responsible is None
    assert MunicipalityTaskChange.objects.count() == before


def test_the_round_trip_never_touches_another_municipalitys_local_task(
    client, leader, other_leader, local, danish
):
    from klik.imports.round_trip import NOT_YOUR_TASK
    from tests.klik.import_helpers import edit, export, run

    client.force_login(leader)
    anna = PersonFactory(municipality=local.municipality, name="Anna Lokal")
    data = edit(export(client), {local.pk: {"Ansvarlig": anna.name}})
    report = run(data, user=other_leader, municipality=other_leader.municipality)
    (refused,) = report.refused_rows
    assert refused.reason == NOT_YOUR_TASK % {"municipality": "Hørsholm"}
    local.refresh_from_db()
    assert local.responsible is None


def test_the_catalogue_import_never_matches_or_updates_a_local_task(kombit, local):
    from tests.klik.import_helpers import outcomes, run, sheet

    data = sheet([["Opgave", "Projekt", "Slutdato"], [TITLE, "BBR", "01-06-2027"]])
    report = run(data, user=kombit)
    assert outcomes(report) == ["created"]
    local.task.refresh_from_db()
    assert local.task.deadline == today() - DAY
    assert Task.objects.filter(title=TITLE, municipality__isnull=True).count() == 1


def test_the_catalogue_import_refuses_a_row_marked_as_a_local_task(
    leader_client, kombit, local, danish
):
    from klik.imports.catalogue import LOCAL_ROW
    from tests.klik.import_helpers import export, run

    # A municipality's own export, handed to KOMBIT: its local task's row is refused.
    report = run(export(leader_client), user=kombit, skip_refused=True)
    (refused,) = report.refused_rows
    assert (refused.column, refused.reason) == ("Oprindelse", str(LOCAL_ROW))
    assert Task.objects.filter(title=TITLE).count() == 1


def test_bulk_assignment_covers_local_tasks_but_not_deleted_ones(leader_client, leader, local):
    from klik.services import task_delete_local

    person = PersonFactory(municipality=local.municipality)
    data = {
        "bulk-tasks": [f"{local.pk}:{local.version}"],
        "bulk-responsible": person.pk,
        "bulk-executor": "",
        "bulk-back": "",
        "confirm": "yes",
    }
    response = leader_client.post("/klik/massevis/", data)
    assert response.status_code in (200, 302)
    local.refresh_from_db()
    assert local.responsible == person
    task_delete_local(municipality_task=local, user=leader)
    local.refresh_from_db()
    data["bulk-tasks"] = [f"{local.pk}:{local.version}"]
    data["bulk-responsible"] = PersonFactory(municipality=local.municipality).pk
    assert leader_client.post("/klik/massevis/", data).status_code == 404


def test_a_local_task_can_be_escalated_and_kombit_staff_never_see_it(clients, local):
    from klik.models import Escalation

    leader_client, kombit_client = clients["leader"], clients["kombit"]
    response = leader_client.post(
        f"/klik/{local.pk}/eskalering/",
        {"action": "mark", "version": local.version, "note": "Venter på IT"},
    )
    assert response.status_code == 302
    assert Escalation.objects.filter(municipality_task=local).exists()
    assert TITLE not in kombit_client.get("/klik/?escalated=on").content.decode()
    assert kombit_client.post(
        f"/klik/{local.pk}/eskalering/", {"action": "unmark", "version": local.version + 1}
    ).status_code in (403, 404)


def test_kombit_staff_see_no_local_task_on_a_persons_page(clients, local):
    leader_client, kombit_client = clients["leader"], clients["kombit"]
    person = PersonFactory(municipality=local.municipality, name="Lise Lokal")
    local.responsible = person
    local.save()
    assert TITLE in leader_client.get(person.get_absolute_url()).content.decode()
    assert TITLE not in kombit_client.get(person.get_absolute_url()).content.decode()


def test_admins_do_not_find_a_local_task_in_the_admin_either(admin_client, local):
    for url in ("/admin/klik/municipalitytask/", "/admin/klik/municipalitytaskchange/"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert TITLE not in response.content.decode()
