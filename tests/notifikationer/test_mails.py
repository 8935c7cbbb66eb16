"""The scheduler's mails: who gets what, once, in one mail, honouring preferences."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from klik.bulk import municipality_tasks_bulk_update
from klik.models import MunicipalityTask, State
from klik.services import municipality_task_update
from notifikationer.models import Kind, MailPreference, Notice, OutgoingMail
from notifikationer.services import notifications_send, preference_update
from tests.factories import (
    PersonFactory,
    ProgrammeLeaderFactory,
    RoleAssignmentFactory,
    RoleFactory,
    TaskFactory,
    municipality_task,
)
from tests.klik.import_helpers import edit, export
from tests.klik.import_helpers import run as import_run
from tests.notifikationer.conftest import TODAY

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(6)))
# Tuesday: no digest is due, so the tests below see only event mails.
TUESDAY = TODAY + timedelta(days=1)
TUESDAY_NOW = NOW + timedelta(days=1)


@pytest.fixture(autouse=True)
def tuesday_morning():
    """The tests act on Tuesday morning; the task history is written at that time too."""
    with time_machine.travel(TUESDAY_NOW - timedelta(hours=1), tick=False):
        yield


def assign(mt, user, **data):
    return municipality_task_update(municipality_task=mt, user=user, data=data, version=mt.version)


def run(today=TUESDAY, now=TUESDAY_NOW):
    return notifications_send(today=today, now=now)


def test_five_assignments_to_one_person_in_one_run_give_one_mail(naestved, leader, outbox):
    person = PersonFactory(municipality=naestved, name="Anne Hansen", email="anne@naestved.dk")
    tasks = [municipality_task(naestved, title=f"Opgave {i}") for i in range(5)]
    for mt in tasks:
        assign(mt, leader, responsible=person)
    run()
    mine = [m for m in outbox if m.to == ["anne@naestved.dk"]]
    assert len(mine) == 1
    body = mine[0].body
    for i in range(5):
        assert f"Opgave {i}" in body
    assert "Næstved" in mine[0].subject
    assert "5 opgaver til dig" in mine[0].subject
    assert f"https://kombitpl.example.org/klik/{tasks[0].pk}/" in body
    assert "ansvarlig" in body


def test_a_bulk_assignment_and_an_import_each_mail_the_person_once(
    naestved, leader, leader_client, outbox
):
    anne = PersonFactory(municipality=naestved, name="Anne Hansen", email="anne@naestved.dk")
    bo = PersonFactory(municipality=naestved, name="Bo Berg", email="bo@naestved.dk")
    bulk = [municipality_task(naestved, title=f"Samlet {i}") for i in range(3)]
    municipality_tasks_bulk_update(
        user=leader, selected={mt.pk: mt.version for mt in bulk}, data={"executor": anne}
    )
    imported = municipality_task(naestved, title="Importeret opgave")
    data = edit(export(leader_client), {imported.pk: {"Ansvarlig": "Bo Berg"}})
    import_run(data, user=leader, municipality=naestved)
    imported.refresh_from_db()
    assert imported.responsible == bo
    run()
    to_anne = [m for m in outbox if m.to == ["anne@naestved.dk"]]
    to_bo = [m for m in outbox if m.to == ["bo@naestved.dk"]]
    assert len(to_anne) == len(to_bo) == 1
    assert all(f"Samlet {i}" in to_anne[0].body for i in range(3))
    assert "udfører" in to_anne[0].body
    assert "Importeret opgave" in to_bo[0].body and "Samlet" not in to_bo[0].body


def test_a_second_run_sends_nothing_new(naestved, leader, outbox):
    person = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    assign(municipality_task(naestved), leader, executor=person)
    run()
    sent = len(outbox)
    assert sent >= 1
    report = run()
    assert report.queued == 0
    assert len(outbox) == sent
    assert Notice.objects.filter(recipient="anne@naestved.dk", kind=Kind.ASSIGNED).count() == 1


def test_the_command_runs_and_is_idempotent(naestved, leader, outbox):
    person = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    assign(municipality_task(naestved), leader, executor=person)
    call_command("send_notifications")
    call_command("send_notifications")
    assert [m.to for m in outbox].count(["anne@naestved.dk"]) == 1


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_with_the_database_queue_the_worker_sends_or_the_command_delivers_itself(
    naestved, leader, outbox
):
    anne = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    bo = PersonFactory(municipality=naestved, email="bo@naestved.dk")
    with override_settings(TASKS=DATABASE_TASKS):
        assign(municipality_task(naestved), leader, executor=anne)
        call_command("send_notifications")
        assert outbox == []  # queued for the worker, not sent in the command
        job = DBTaskResult.objects.get()
        assert job.task_path == "notifikationer.tasks.deliver_mail"
        job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])  # the worker's run
        assert [m.to for m in outbox] == [["anne@naestved.dk"]]
        # Where no worker runs (--deliver), the command sends its mails itself.
        assign(municipality_task(naestved), leader, executor=bo)
        call_command("send_notifications", "--deliver")
        assert [m.to for m in outbox] == [["anne@naestved.dk"], ["bo@naestved.dk"]]
        assert DBTaskResult.objects.count() == 1  # nothing more for a worker
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 2


def test_published_tasks_reach_each_municipalitys_programme_leaders_once(
    naestved, hoersholm, outbox
):
    leader = ProgrammeLeaderFactory(municipality=naestved, email="leder@naestved.dk")
    ProgrammeLeaderFactory(municipality=hoersholm, email="leder@hoersholm.dk")
    TaskFactory(title="Test af SF1511", published_on=TUESDAY, deadline=TUESDAY + timedelta(60))
    TaskFactory(title="Roller i STS", published_on=TUESDAY)
    run()
    to_naestved = [m for m in outbox if m.to == [leader.email]]
    assert len(to_naestved) == 1
    message = to_naestved[0]
    assert "2 nye opgaver publiceret" in message.subject
    assert "Test af SF1511" in message.body and "Roller i STS" in message.body
    assert "6. februar 2027" in message.body  # the deadline
    to_hoersholm = [m for m in outbox if m.to == ["leder@hoersholm.dk"]]
    assert len(to_hoersholm) == 1
    assert "Hørsholm" in to_hoersholm[0].subject and "Næstved" not in to_hoersholm[0].body
    # the links go to each municipality's own copy
    own = MunicipalityTask.objects.get(municipality=hoersholm, task__title="Test af SF1511")
    assert f"/klik/{own.pk}/" in to_hoersholm[0].body


def test_deadline_reminder_goes_to_responsible_and_executor_once(naestved, outbox):
    responsible = PersonFactory(municipality=naestved, email="r@naestved.dk")
    executor = PersonFactory(municipality=naestved, email="u@naestved.dk")
    mt = municipality_task(naestved, title="Frist snart", deadline=TUESDAY + timedelta(10))
    MunicipalityTask.objects.filter(pk=mt.pk).update(
        responsible=responsible, executor=executor, state=State.IN_PROGRESS
    )
    run()
    run(today=TUESDAY + timedelta(1), now=TUESDAY_NOW + timedelta(1))
    for address in ("r@naestved.dk", "u@naestved.dk"):
        mine = [m for m in outbox if m.to == [address]]
        assert len(mine) == 1
        assert "Frist snart" in mine[0].body
        assert "1 frist nærmer sig" in mine[0].subject


def test_turning_red_mails_once_more(naestved, outbox):
    responsible = PersonFactory(municipality=naestved, email="r@naestved.dk")
    mt = municipality_task(naestved, title="Overskredet", deadline=TUESDAY - timedelta(1))
    MunicipalityTask.objects.filter(pk=mt.pk).update(responsible=responsible)
    run()
    run()
    mine = [m for m in outbox if m.to == ["r@naestved.dk"]]
    assert len(mine) == 1
    assert "1 opgave er blevet rød" in mine[0].subject


def test_a_task_nobody_is_on_reminds_the_primary_holder_of_its_role(naestved, outbox):
    role = RoleFactory(name="Systemejer")
    primary = PersonFactory(municipality=naestved, email="primaer@naestved.dk")
    other = PersonFactory(municipality=naestved, email="anden@naestved.dk")
    RoleAssignmentFactory(person=primary, role=role, primary=True)
    RoleAssignmentFactory(person=other, role=role)
    task = TaskFactory(title="Uden folk", deadline=TUESDAY + timedelta(5))
    task.roles.set([role])
    run()
    assert [m.to for m in outbox if "Uden folk" in m.body] == [["primaer@naestved.dk"]]


def test_a_person_of_another_municipality_never_hears_about_this_one(
    naestved, hoersholm, leader, outbox
):
    here = PersonFactory(municipality=naestved, email="same@example.org")
    PersonFactory(municipality=hoersholm, email="other@hoersholm.dk")
    ProgrammeLeaderFactory(municipality=hoersholm, email="leder@hoersholm.dk")
    mt = municipality_task(naestved, title="Kun Næstved", deadline=TUESDAY + timedelta(3))
    assign(mt, leader, responsible=here)
    run()
    for message in outbox:
        if message.to != ["same@example.org"]:
            assert "Kun Næstved" not in message.body
    assert any("Kun Næstved" in m.body for m in outbox if m.to == ["same@example.org"])


def test_preferences_are_honoured(naestved, leader, outbox):
    person = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    preference_update(email="Anne@naestved.dk", data={"tasks": False})
    assign(municipality_task(naestved), leader, responsible=person)
    quiet = PersonFactory(municipality=naestved, email="quiet@naestved.dk")
    preference_update(email="quiet@naestved.dk", data={"enabled": False})
    assign(municipality_task(naestved), leader, responsible=quiet)
    run()
    assert not [m for m in outbox if m.to[0] in ("anne@naestved.dk", "quiet@naestved.dk")]


def test_every_mail_has_text_html_and_list_unsubscribe_headers(naestved, leader, outbox):
    person = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    assign(municipality_task(naestved, title="Med <tag>"), leader, responsible=person)
    run()
    message = next(m for m in outbox if m.to == ["anne@naestved.dk"])
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert "Med &lt;tag&gt;" in html and "Med <tag>" in message.body
    assert "<img" not in html  # no tracking pixels
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://kombitpl.example.org/notifikationer/afmeld/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


class FlakyBackend:
    """A mail backend whose first send fails as an SMTP server that is down would."""

    failures = 1

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("SMTP server down")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_failed_smtp_send_is_recorded_and_retried(naestved, leader, outbox):
    FlakyBackend.failures = 1
    person = PersonFactory(municipality=naestved, email="anne@naestved.dk")
    assign(municipality_task(naestved), leader, responsible=person)
    with override_settings(EMAIL_BACKEND="tests.notifikationer.test_mails.FlakyBackend"):
        run()
        failed = OutgoingMail.objects.get(recipient="anne@naestved.dk")
        assert failed.status == OutgoingMail.Status.FAILED
        assert failed.attempts == 1
        assert "SMTP server down" in failed.last_error
        assert outbox == []
        report = run()
    assert report.retried == 1 and report.queued == 0
    failed.refresh_from_db()
    assert failed.status == OutgoingMail.Status.SENT and failed.attempts == 2
    assert [m.to for m in outbox] == [["anne@naestved.dk"]]


def test_preference_defaults_need_no_row(naestved):
    assert MailPreference.objects.count() == 0
    assert MailPreference(email="x@example.org").wants("tasks")


def test_the_command_refuses_a_bad_date_with_a_clear_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_notifications", today="2026-13-01")
