"""An export of more than KLIK_EXPORT_JOB_ROWS rows is made by the worker in the background:
the user waits on a page that shows its progress, then downloads the file, which is theirs only
and kept for a day."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from klik.models import Colour, ExportJob
from klik.services import export_jobs_prune
from klik.tasks import export_job_run
from tests.klik.helpers import workbook

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def large(settings, tmp_path, make_task):
    """Five tasks, and a job threshold of three rows; files go to a temporary media root."""
    settings.KLIK_EXPORT_JOB_ROWS = 3
    settings.MEDIA_ROOT = tmp_path
    return [make_task(Colour.RED) for _ in range(5)]


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_large_export_is_queued_shown_in_progress_run_and_downloaded_by_its_owner_only(
    large, leader_client, other_leader, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # the worker has not picked it up yet
    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.get("/klik/eksport.xlsx?status=red")

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    [queued] = default_task_backend.results
    assert queued.task.name == "export_job_run" and queued.args == [str(job.pk)]
    waiting = leader_client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="queued"' in waiting and "0 af 5 rækker skrevet" in waiting
    assert 'http-equiv="refresh"' in waiting and "export-download" not in waiting

    assert export_job_run.call(*queued.args) == 5  # what the worker runs

    ready = leader_client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="done"' in ready and 'data-percent="100"' in ready
    assert "5 af 5 rækker skrevet" in ready and 'http-equiv="refresh"' not in ready
    download = leader_client.get(f"{job.get_absolute_url()}fil.xlsx")
    assert download["Content-Disposition"].startswith('attachment; filename="klik-opgaver-')
    book = workbook(download)
    rows = book["KLIK-opgaver"].iter_rows(min_row=2, values_only=True)
    assert [r[7] for r in rows] == ["Rød"] * 5
    assert book["Filtre"]["B3"].value == 5

    stranger = client_of(other_leader)
    assert stranger.get(job.get_absolute_url()).status_code == 404
    assert stranger.get(f"{job.get_absolute_url()}fil.xlsx").status_code == 404


def test_progress_is_saved_while_the_rows_are_written(large, leader, monkeypatch):
    from klik import exports, tasks

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    job = ExportJob.objects.create(
        owner=leader, link_base="http://testserver/klik/", rows_total=5,
        expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    saved = []
    real_workbook = tasks.task_workbook

    def watched(*, progress, **kwargs):
        def save_and_look(count):
            progress(count)
            seen = ExportJob.objects.get(pk=job.pk)
            saved.append((seen.status, seen.rows_done, seen.percent))

        return real_workbook(progress=save_and_look, **kwargs)

    monkeypatch.setattr(tasks, "task_workbook", watched)
    export_job_run.call(str(job.pk))

    assert saved == [("running", 2, 40), ("running", 4, 80)]
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 5


def test_a_small_export_is_still_downloaded_at_once(large, leader_client, settings):
    settings.KLIK_EXPORT_JOB_ROWS = 50_000
    response = leader_client.get("/klik/eksport.xlsx")
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_the_file_is_kept_for_a_day_then_gone(
    large, leader_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.get("/klik/eksport.xlsx")  # the test backend runs the job at once
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.file.storage.exists(job.file.name)
    assert leader_client.get(f"{job.get_absolute_url()}fil.xlsx").status_code == 200

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert leader_client.get(job.get_absolute_url()).status_code == 404
    assert export_jobs_prune() == 1
    assert not job.file.storage.exists(job.file.name)
