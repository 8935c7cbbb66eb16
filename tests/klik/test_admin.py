"""KLIK in the admin: publishing a task from the add view, and each municipality's own copies."""

import datetime
from unittest import mock

import pytest
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from klik.admin import STALE_IN_ADMIN
from klik.models import MunicipalityTask, State, Task
from klik.services import municipality_task_update
from portfolio.models import Municipality
from portfolio.sites import KombitAdminSite
from portfolio.validators import FORBIDDEN_CHARACTER
from rollegalleri.models import PERSON_OTHER_MUNICIPALITY
from tests.factories import (
    InterfaceFactory,
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    RoleFactory,
    municipality_task,
)

TASK_ADD = reverse("admin:klik_task_add")


@pytest.fixture
def municipalities(naestved, hoersholm):
    """Five municipalities: Næstved, Hørsholm and three more."""
    return [naestved, hoersholm, *MunicipalityFactory.create_batch(3)]


def task_form(**overrides):
    interface = InterfaceFactory()
    data = {
        "title": "Opsæt brugersystem til STS Adgangsstyring",
        "description": "Kommunen opretter brugere og roller.",
        "kind": Task.Kind.SOLUTION,
        "klik_reference": "KLIK-123",
        "project": ProjectFactory(short_name="BBR", slug="bbr").pk,
        "support_system": interface.support_system.pk,
        "interfaces": [interface.pk],
        "roles": [RoleFactory().pk],
        "published_on": "2026-05-01",
        "starts_on": "2026-06-01",
        "deadline": "2026-09-30",
    }
    return {**data, **overrides}


def test_adding_a_task_in_the_admin_gives_every_municipality_one_copy(admin_client, municipalities):
    response = admin_client.post(TASK_ADD, task_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    task = Task.objects.get()
    copies = MunicipalityTask.objects.filter(task=task)
    assert sorted(copies.values_list("municipality_id", flat=True)) == sorted(
        m.pk for m in municipalities
    )
    assert task.interfaces.count() == 1 and task.roles.count() == 1


def test_adding_a_task_in_the_admin_tells_how_many_municipalities_got_it(
    admin_client, municipalities
):
    response = admin_client.post(TASK_ADD, task_form(), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("5" in message for message in messages)


def test_saving_a_task_again_in_the_admin_makes_no_second_copy(admin_client, municipalities):
    admin_client.post(TASK_ADD, task_form())
    task = Task.objects.get()
    MunicipalityFactory(code="101", name="København")
    data = task_form(title="Ny titel", project=task.project_id)
    response = admin_client.post(reverse("admin:klik_task_change", args=[task.pk]), data)
    assert response.status_code == 302
    assert MunicipalityTask.objects.filter(task=task).count() == Municipality.objects.count() == 6


def test_a_failing_publish_in_the_admin_leaves_no_task_behind(admin_client, municipalities):
    with (
        mock.patch("klik.admin.municipality_tasks_ensure", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(TASK_ADD, task_form())
    assert not Task.objects.exists()
    assert not MunicipalityTask.objects.exists()


def test_a_task_with_its_deadline_before_its_start_is_refused_in_the_admin(
    admin_client, municipalities
):
    response = admin_client.post(TASK_ADD, task_form(starts_on="2026-09-30", deadline="2026-06-01"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "Slutdatoen kan ikke ligge før startdatoen." in errors
    assert not Task.objects.exists()


def test_the_task_add_form_suggests_today_as_published_date(admin_client):
    response = admin_client.get(TASK_ADD)
    initial = response.context["adminform"].form.initial
    assert initial["published_on"] == datetime.date.today()


def mt_form(mt, **overrides):
    """What the admin's change form posts for `mt` as it was loaded, its version included."""
    data = {
        "responsible": mt.responsible_id or "",
        "executor": mt.executor_id or "",
        "state": mt.state,
        "note": mt.note,
        "loaded_version": mt.version,
    }
    return {**data, **overrides}


def test_a_responsible_from_another_municipality_is_refused_in_the_admin(
    admin_client, naestved, hoersholm
):
    mt = municipality_task(naestved)
    stranger = PersonFactory(municipality=hoersholm)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    response = admin_client.post(url, mt_form(mt, responsible=stranger.pk, executor=stranger.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["responsible"] == [PERSON_OTHER_MUNICIPALITY]
    assert errors["executor"] == [PERSON_OTHER_MUNICIPALITY]
    mt.refresh_from_db()
    assert mt.responsible is None


def test_saving_a_municipality_task_in_the_admin_records_who_and_bumps_the_version(
    admin_client, naestved
):
    mt = municipality_task(naestved)
    person = PersonFactory(municipality=naestved)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    response = admin_client.post(url, mt_form(mt, responsible=person.pk, state=State.IN_PROGRESS))
    assert response.status_code == 302
    mt.refresh_from_db()
    assert (mt.responsible, mt.state, mt.version) == (person, State.IN_PROGRESS, 1)
    assert mt.updated_by.username == "admin"


def test_saving_a_municipality_task_in_the_admin_records_who_when_from_and_to(
    admin_client, naestved
):
    mt = municipality_task(naestved)
    person = PersonFactory(municipality=naestved, name="Ida Holm")
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    before = timezone.now()
    admin_client.post(url, mt_form(mt, responsible=person.pk, state=State.IN_PROGRESS))
    changes = list(mt.changes.order_by("field"))
    assert [(c.field, c.old_value, c.new_value, c.version) for c in changes] == [
        ("responsible", "", "Ida Holm", 1),
        ("state", "Ikke påbegyndt", "I gang", 1),
    ]
    assert {c.changed_by.username for c in changes} == {"admin"}
    assert all(c.changed_at >= before for c in changes)


def test_the_admin_history_shows_up_on_the_task_page(admin_client, leader_client, naestved):
    mt = municipality_task(naestved)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    admin_client.post(url, mt_form(mt, note="Aftalt med KOMBIT"))
    page = leader_client.get(mt.get_absolute_url()).content.decode()
    assert "«Aftalt med KOMBIT»" in page


def test_saving_unchanged_in_the_admin_keeps_the_version_and_records_nothing(
    admin_client, naestved
):
    mt = municipality_task(naestved)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    assert admin_client.post(url, mt_form(mt)).status_code == 302
    mt.refresh_from_db()
    assert mt.version == 0
    assert not mt.changes.exists()


def test_the_admin_change_form_carries_the_version_it_shows(admin_client, leader, naestved):
    mt = municipality_task(naestved)
    municipality_task_update(municipality_task=mt, user=leader, data={"note": "a"}, version=0)
    response = admin_client.get(reverse("admin:klik_municipalitytask_change", args=[mt.pk]))
    assert '<input type="hidden" name="loaded_version" value="1"' in response.content.decode()


def test_an_admin_save_over_a_newer_change_is_refused_and_tells_what_changed(
    admin_client, leader, naestved
):
    mt = municipality_task(naestved)
    opened = mt_form(mt, note="Fra admin")
    municipality_task_update(
        municipality_task=mt, user=leader, data={"note": "Fra kommunen"}, version=0
    )
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    response = admin_client.post(url, opened)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0] == STALE_IN_ADMIN
    assert "«Fra kommunen»" in errors[1] and leader.username in errors[1]
    assert "Fra kommunen" in response.content.decode()
    mt.refresh_from_db()
    assert (mt.note, mt.version, mt.changes.count()) == ("Fra kommunen", 1, 1)


def test_an_admin_save_without_the_loaded_version_is_refused(admin_client, naestved):
    mt = municipality_task(naestved)
    data = mt_form(mt, note="x")
    del data["loaded_version"]
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert STALE_IN_ADMIN in response.context["adminform"].form.non_field_errors()
    mt.refresh_from_db()
    assert (mt.note, mt.version) == ("", 0)


@pytest.fixture
def staff_leader(leader, monkeypatch):
    """Næstved's programme leader with a staff flag, and the site's rule that keeps municipal
    users out lifted: the scoped admin below it must still hold on its own."""
    monkeypatch.setattr(KombitAdminSite, "has_permission", AdminSite.has_permission)
    leader.is_staff = True
    leader.save()
    return leader


def test_a_municipal_admin_user_sees_only_their_own_municipality_tasks(
    client, staff_leader, naestved, hoersholm
):
    mine = municipality_task(naestved)
    client.force_login(staff_leader)
    response = client.get(reverse("admin:klik_municipalitytask_changelist"))
    assert response.status_code == 200
    assert [mt.pk for mt in response.context["cl"].result_list] == [mine.pk]


def test_another_municipality_task_is_not_found_in_the_admin(
    client, staff_leader, naestved, hoersholm
):
    theirs = municipality_task(hoersholm)
    client.force_login(staff_leader)
    url = reverse("admin:klik_municipalitytask_change", args=[theirs.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_municipal_admin_user_cannot_pick_another_municipalitys_person(
    client, staff_leader, naestved, hoersholm
):
    mt = municipality_task(naestved)
    stranger = PersonFactory(municipality=hoersholm)
    client.force_login(staff_leader)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    response = client.post(url, mt_form(mt, responsible=stranger.pk))
    assert response.status_code == 200
    assert "responsible" in response.context["adminform"].form.errors
    mt.refresh_from_db()
    assert mt.responsible is None


def test_a_municipal_admin_user_saving_their_task_records_history(client, staff_leader, naestved):
    mt = municipality_task(naestved)
    client.force_login(staff_leader)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    assert client.post(url, mt_form(mt, needs_help="on")).status_code == 302
    mt.refresh_from_db()
    assert (mt.needs_help, mt.version, mt.updated_by) == (True, 1, staff_leader)
    change = mt.changes.get()
    assert (change.field, change.old_value, change.new_value) == ("needs_help", "Nej", "Ja")
    assert change.changed_by == staff_leader


def test_kombit_staff_in_the_admin_see_every_municipality_read_only(
    client, kombit, naestved, hoersholm
):
    kombit.is_staff = True
    kombit.save()
    municipality_task(naestved, title="Opgave")
    client.force_login(kombit)
    response = client.get(reverse("admin:klik_municipalitytask_changelist"))
    assert response.status_code == 200
    assert {mt.municipality for mt in response.context["cl"].result_list} == {naestved, hoersholm}
    assert not kombit.has_perm("klik.change_municipalitytask")
    assert Permission.objects.filter(codename="view_municipalitytask").exists()


def test_the_colour_filter_in_the_admin_lists_only_that_colour(admin_client, naestved):
    today = datetime.date.today()
    overdue = municipality_task(naestved, deadline=today - datetime.timedelta(days=1))
    municipality_task(naestved, starts_on=today + datetime.timedelta(days=10))
    url = reverse("admin:klik_municipalitytask_changelist")
    response = admin_client.get(url, {"colour": "red"})
    assert [mt.pk for mt in response.context["cl"].result_list] == [overdue.pk]
    assert "Rød" in response.content.decode()


def test_the_municipality_task_changelist_runs_a_fixed_number_of_queries(
    admin_client, naestved, hoersholm, django_assert_num_queries
):
    url = reverse("admin:klik_municipalitytask_changelist")
    municipality_task(naestved)
    with django_assert_num_queries(8):
        admin_client.get(url)
    for _ in range(10):
        mt = municipality_task(naestved)
        mt.responsible = mt.executor = PersonFactory(municipality=naestved)
        mt.save()
    with django_assert_num_queries(8):
        admin_client.get(url)


def test_kombit_staff_can_open_any_municipalitys_task_in_the_admin_without_saving(
    client, kombit, naestved, hoersholm
):
    kombit.is_staff = True
    kombit.save()
    theirs = municipality_task(hoersholm)
    client.force_login(kombit)
    url = reverse("admin:klik_municipalitytask_change", args=[theirs.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(url, mt_form(theirs, note="ændret")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.note == ""


def test_read_only_viewers_in_the_admin_see_the_task_without_the_forms_version_field(
    client, kombit, naestved, hoersholm
):
    kombit.is_staff = True
    kombit.save()
    theirs = municipality_task(hoersholm, title="Opsæt adgang")
    client.force_login(kombit)
    response = client.get(reverse("admin:klik_municipalitytask_change", args=[theirs.pk]))
    html = response.content.decode()
    assert "Opsæt adgang" in html
    assert "<label>Version:</label>" in html
    assert "loaded_version" not in html and "Loaded version" not in html


def test_the_task_history_changelist_runs_a_fixed_number_of_queries(
    admin_client, naestved, leader, django_assert_num_queries
):
    url = reverse("admin:klik_municipalitytaskchange_changelist")

    def record(n):
        for _ in range(n):
            mt = municipality_task(naestved)
            mt.changes.create(changed_by=leader, field="state", old_value="", new_value="done")

    record(2)
    with django_assert_num_queries(8):
        admin_client.get(url)
    record(20)
    with django_assert_num_queries(8):
        admin_client.get(url)


@pytest.mark.parametrize("field", ["title", "description", "klik_reference"])
def test_a_task_with_u_ffff_in_its_text_is_refused_in_the_admin(
    admin_client, municipalities, field, danish
):
    response = admin_client.post(TASK_ADD, task_form(**{field: "KLIK\uffff"}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == [str(FORBIDDEN_CHARACTER) % {"character": "U+FFFF"}]
    assert not Task.objects.exists()


def test_task_history_is_read_only_in_the_admin(admin_client, naestved, leader):
    change = municipality_task(naestved).changes.create(
        changed_by=leader, field="state", old_value="", new_value="done"
    )
    url = reverse("admin:klik_municipalitytaskchange_change", args=[change.pk])
    admin_client.post(url, {"field": "note", "old_value": "x", "new_value": "y"})
    change.refresh_from_db()
    assert (change.field, change.new_value) == ("state", "done")
    delete = reverse("admin:klik_municipalitytaskchange_delete", args=[change.pk])
    assert admin_client.get(delete).status_code == 403
