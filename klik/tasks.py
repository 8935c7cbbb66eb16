"""Background work of KLIK, run by the worker (`manage.py db_worker`) via django-tasks."""

from django.core.files import File
from django.db.models import F
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django_tasks import task

from .exports import export_filename, export_queryset, task_workbook
from .filters import KlikFilterSet
from .models import ExportJob, MunicipalityTask


def job_request(job):
    """A request as the list would get it: the job's owner and query string."""
    request = HttpRequest()
    request.GET = QueryDict(job.query)
    request.user = job.owner
    return request


@task()
def export_job_run(job_id: str) -> int:
    """Write the export of an ExportJob to its file, saving progress as it goes; returns the
    number of rows written."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    request = job_request(job)
    tasks = MunicipalityTask.objects.visible_to(job.owner).with_colour().for_table().open_first()
    filterset = KlikFilterSet(request.GET or None, queryset=tasks, request=request)
    rows, filters = export_queryset(request, filterset)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)

    def progress(count):
        ExportJob.objects.filter(pk=job.pk).update(rows_done=count)

    try:
        workbook = task_workbook(
            queryset=rows,
            filters=filters,
            exported_at=timezone.localtime().replace(tzinfo=None),
            link_for=lambda pk: f"{job.link_base}{pk}/",
            progress=progress,
        )
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
        raise
    job.refresh_from_db()
    with workbook:
        job.file.save(export_filename(timezone.localdate()), File(workbook), save=False)
    job.status = ExportJob.Status.DONE
    job.rows_done = F("rows_total")
    job.save(update_fields=["file", "status", "rows_done"])
    return job.rows_total
