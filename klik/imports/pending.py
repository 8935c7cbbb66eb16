"""The upload page's two steps: a dry run whose file waits server-side, keyed to its owner,
then the confirmation that applies exactly the report that was shown."""

import io

from django.db import transaction

from portfolio.spreadsheets import xml_safe

from ..models import PendingImport
from . import CHANGED_SINCE_DRY_RUN, klik_import
from .report import ImportReport


def import_upload(file, *, user, municipality, file_name, progress=None):
    """Dry-run `file`; returns (PendingImport or None, report). A file refused as a whole is
    not kept. The user's earlier unconfirmed uploads, and everyone's expired ones, go."""
    report = klik_import(
        file, user=user, municipality=municipality, dry_run=True, progress=progress
    )
    if report.error:
        return None, report
    file.seek(0)
    with transaction.atomic():
        PendingImport.objects.filter(owner=user, status=PendingImport.Status.PENDING).delete()
        PendingImport.objects.expired().delete()
        pending = PendingImport.objects.create(
            owner=user,
            municipality=municipality,
            # The browser names the file: no NUL or control character reaches the database.
            file_name=xml_safe(file_name)[:255] or "klik.xlsx",
            data=file.read(),
            digest=report.digest(),
            report=report.to_json(),
        )
    return pending, report


def import_confirm(pending, *, user, skip_refused=False, progress=None):
    """Apply the pending file if its dry run still holds; the file is dropped either way, the
    report of what happened kept. Returns that report, or None when the import was no longer
    pending (a double click, a second tab): the row is locked, so it is applied only once."""
    with transaction.atomic():
        locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None or locked.status != PendingImport.Status.PENDING:
            return None
        return _confirm(locked, user=user, skip_refused=skip_refused, progress=progress)


def _confirm(pending, *, user, skip_refused, progress):
    report = klik_import(
        io.BytesIO(bytes(pending.data)),
        user=user,
        municipality=pending.municipality,
        dry_run=False,
        skip_refused=skip_refused,
        expected_digest=pending.digest,
        progress=progress,
    )
    if report.error == str(CHANGED_SINCE_DRY_RUN):
        # The data changed since the dry run: nothing was written, the new dry run replaces
        # the old and the file stays, so the user can read it and confirm that one.
        fresh = ImportReport(job=report.job, rows=report.rows, dry_run=True)
        pending.digest = fresh.digest()
        pending.report = {**fresh.to_json(), "changed": report.error}
        pending.save(update_fields=["digest", "report"])
        return report
    pending.data = b""
    pending.report = report.to_json()
    pending.status = (
        PendingImport.Status.APPLIED if report.applied else PendingImport.Status.REFUSED
    )
    pending.save(update_fields=["data", "report", "status"])
    return report


def import_cancel(pending):
    """Forget the upload and its file, if it is still waiting; False when it was already
    applied or refused (its report stays)."""
    return bool(
        PendingImport.objects.filter(pk=pending.pk, status=PendingImport.Status.PENDING).delete()[0]
    )


def shown_report(pending) -> ImportReport:
    return ImportReport.from_json(pending.report)
