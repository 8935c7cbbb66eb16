"""/klik/import/: upload a sheet, read its dry run, confirm (or cancel) exactly that."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from ..models import PendingImport
from . import NOT_ALLOWED, import_job_for
from .forms import ImportConfirmForm, ImportUploadForm
from .pending import import_cancel, import_confirm, import_upload, shown_report
from .report import CATALOGUE, CREATED, REFUSED, UNCHANGED, UPDATED

# The columns each job reads, as the help on the page names them (any of the names counts).
COLUMNS = {
    "municipality": [
        (_("Link"), _("required: the task's address, as the export writes it")),
        (_("State"), ""),
        (_("Responsible"), _("the person's e-mail or exact name")),
        (_("Executor"), _("the person's e-mail or exact name")),
    ],
    CATALOGUE: [
        ("Opgave / Titel / Opgavetitel / Opgavenavn", _("required")),
        ("Slutdato / Deadline / Frist", ""),
        ("Startdato / Start", ""),
        ("Publiceret / Publiceringsdato", ""),
        ("Projekt", _("short name or slug")),
        ("Støttesystem", _("name or slug")),
        ("Snitflader / Snitflade", _("SF codes, e.g. SF1511, SF1520")),
        ("KLIK-id / Opgave-ID / KLIK-reference", _("matches existing tasks")),
        ("Beskrivelse", ""),
        ("Type / Opgavetype", _("Basis, Løsningsspecifik or Program")),
        ("Oprindelse", _("rows marked “Lokal opgave” are refused")),
    ],
}
CANCELLED = _("The import was cancelled; nothing was written.")
ALREADY_DONE = _("This import is finished; upload the file again to import it anew.")
APPLIED = _("The import was saved: %(created)s created, %(updated)s updated.")
NOT_APPLIED = _("Nothing was written.")
# The report page lists this many changed rows; the totals count them all.
SHOWN_ROWS = 500


def import_job(request):
    """The municipality (None: the catalogue) the user imports for; 403 if they may not."""
    allowed, municipality = import_job_for(request.user)
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)
    return municipality


def page_context(municipality, **extra):
    job = "municipality" if municipality else CATALOGUE
    return {"municipality": municipality, "job": job, "columns": COLUMNS[job], **extra}


class ImportView(View):
    """The upload form; a good upload is dry-run and shown on its own page."""

    template_name = "klik/import.html"

    def get(self, request):
        municipality = import_job(request)
        return render(
            request, self.template_name, page_context(municipality, form=ImportUploadForm())
        )

    def post(self, request):
        municipality = import_job(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            pending, report = import_upload(
                upload, user=request.user, municipality=municipality, file_name=upload.name
            )
            if pending is not None:
                return redirect(pending)
            form.add_error("file", report.error)
        context = page_context(municipality, form=form)
        return render(request, self.template_name, context)


class ImportDetailView(View):
    """The dry run's report with the confirmation, or (after it) what was written."""

    template_name = "klik/import_report.html"

    def get(self, request, pk):
        pending = self.pending(request, pk)
        return self.show(request, pending, self.confirm_form(pending))

    def post(self, request, pk):
        pending = self.pending(request, pk)
        if request.POST.get("action") == "cancel":
            if not import_cancel(pending):
                messages.info(request, ALREADY_DONE)
                return redirect(pending)
            messages.info(request, CANCELLED)
            return redirect("klik:import")
        if pending.status != PendingImport.Status.PENDING:
            messages.info(request, ALREADY_DONE)
            return redirect(pending)
        form = self.confirm_form(pending, request.POST)
        if not form.is_valid():
            return self.show(request, pending, form)
        report = import_confirm(
            pending, user=request.user, skip_refused=form.cleaned_data["skip_refused"]
        )
        if report is None:  # confirmed meanwhile, in another request
            messages.info(request, ALREADY_DONE)
            return redirect(pending)
        pending.refresh_from_db()
        if report.applied:
            totals = report.totals
            messages.success(
                request, APPLIED % {"created": totals[CREATED], "updated": totals[UPDATED]}
            )
        elif not pending.report.get("changed"):
            messages.error(request, report.error or NOT_APPLIED)
        return redirect(pending)

    def pending(self, request, pk):
        import_job(request)
        return get_object_or_404(PendingImport.objects.of(request.user), pk=pk)

    def confirm_form(self, pending, data=None):
        refused = sum(1 for row in pending.report.get("rows", []) if row["outcome"] == REFUSED)
        return ImportConfirmForm(data, refused=refused)

    def show(self, request, pending, form):
        report = shown_report(pending)
        changed = report.changed_rows
        context = page_context(
            pending.municipality,
            pending=pending,
            report=report,
            dry_run=pending.status == PendingImport.Status.PENDING,
            form=form,
            totals=report.totals,
            refused_rows=report.by_outcome(REFUSED),
            changed_rows=changed[:SHOWN_ROWS],
            changed_hidden=max(len(changed) - SHOWN_ROWS, 0),
            unchanged=report.totals[UNCHANGED],
            changed_message=pending.report.get("changed", ""),
            upload_url=reverse("klik:import"),
        )
        return render(request, self.template_name, context)
