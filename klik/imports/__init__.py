"""KLIK lists in from Excel: a programme leader's round trip of the export (round_trip.py)
and KOMBIT's catalogue of KLIK-style sheets (catalogue.py). The command `import_klik` and the
page /klik/import/ both call klik_import; the file is checked (checks.py) before parsing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portfolio.models import Municipality

from ..services import CHANGE_PERMISSION
from .catalogue import Catalogue
from .checks import read_sheet
from .report import CATALOGUE, MUNICIPALITY, ImportRefused, ImportReport
from .round_trip import ChangedDuringImport, RoundTrip

NOT_ALLOWED = _("You may not import KLIK tasks.")
OTHER_MUNICIPALITY = _("You may import only your own municipality's tasks.")
CHANGED_SINCE_DRY_RUN = _(
    "The data changed after the dry run, so nothing was written. Read the new report and "
    "confirm again."
)


class _Undo(Exception):
    """Leaves the transaction without writing anything."""


def may_import_catalogue(user):
    """KOMBIT staff and admins import the catalogue."""
    return user.is_superuser or user.is_kombit_staff


def may_import_municipality(user, municipality):
    """A municipality's own users import its tasks, as they may edit them (admins any)."""
    if user.is_superuser:
        return True
    return bool(user.municipality_id) and user.municipality_id == municipality.pk


def import_job_for(user):
    """(may import, municipality) for the upload page: a municipal user imports the round trip
    of their own municipality, KOMBIT staff and admins the catalogue (municipality None)."""
    if not user.is_authenticated:
        return False, None
    if user.municipality_id:
        # A reader only reads: the round trip writes tasks.
        return user.has_perm(CHANGE_PERMISSION), user.municipality
    return may_import_catalogue(user), None


def klik_import(
    file,
    *,
    user,
    municipality: Municipality | None = None,
    dry_run: bool = True,
    skip_refused: bool = False,
    expected_digest: str | None = None,
    progress=None,
) -> ImportReport:
    """Import `file`: the round trip of `municipality`'s export, or (no municipality) the
    catalogue; returns the report. One transaction, and nothing written on a dry run, when
    any row is refused (unless `skip_refused`), or when the report is not the one
    `expected_digest` fingerprints. Raises PermissionDenied for users who may not import."""
    if municipality is None and not may_import_catalogue(user):
        raise PermissionDenied(NOT_ALLOWED)
    if municipality is not None and not may_import_municipality(user, municipality):
        raise PermissionDenied(OTHER_MUNICIPALITY)
    report = ImportReport(job=MUNICIPALITY if municipality else CATALOGUE, dry_run=dry_run)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            table = read_sheet(file, job=report.job, progress=progress)
            job = RoundTrip(table, municipality, user) if municipality else Catalogue(table, user)
            _run(job, report, dry_run, skip_refused, expected_digest, progress)
        except ImportRefused as error:
            report.error, report.rows = str(error), []
    return report


def _run(job, report, dry_run, skip_refused, expected_digest, progress):
    try:
        with transaction.atomic():
            planned = job.plan(progress)
            report.rows = [p.result for p in planned]
            if expected_digest and report.digest() != expected_digest:
                report.error = str(CHANGED_SINCE_DRY_RUN)
                raise _Undo
            if dry_run or (report.refused and not skip_refused):
                raise _Undo
            job.apply([p.action for p in planned if p.action is not None], progress)
            report.applied = True
    except _Undo:
        pass
    except ChangedDuringImport as error:
        report.error = str(error)
