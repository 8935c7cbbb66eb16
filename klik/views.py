"""The KLIK task list, its Excel export and the task page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from portfolio.paging import DEFAULT_PER_PAGE, BoundedPaginator

from .exports import export_filename, export_queryset, task_workbook
from .filters import KlikFilterSet
from .forms import MunicipalityTaskForm, refreshed_data
from .models import Colour, ExportJob, MunicipalityTask
from .services import StaleVersionError, export_job_enqueue, municipality_task_update
from .tables import TaskTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED = _("The task was saved.")


class VisibleTasksMixin:
    """The municipality tasks the user may see, with today's colour and what the table shows."""

    model = MunicipalityTask
    filterset_class = KlikFilterSet

    def get_queryset(self):
        user = self.request.user
        return MunicipalityTask.objects.visible_to(user).with_colour().for_table()


class TaskListView(VisibleTasksMixin, SingleTableMixin, FilterView):
    template_name = "klik/task_list.html"
    table_class = TaskTable
    table_pagination = {"per_page": DEFAULT_PER_PAGE, "paginator_class": BoundedPaginator}

    def get_table_kwargs(self):
        if self.request.user.is_kombit_staff:
            return {}
        return {"exclude": ("municipality",)}

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        filterset = self.filterset
        if not filterset.is_bound or filterset.is_valid():
            # The list is the facets' rows narrowed to the chosen colours (all when none is
            # chosen), so its length is their sum: no second COUNT over the same rows.
            chosen = set(filterset.form.cleaned_data["status"] if filterset.is_bound else ())
            pagination["count"] = sum(
                n for colour, n in self.colour_counts.items() if not chosen or colour in chosen
            )
        return pagination

    @cached_property
    def colour_counts(self):
        """{colour: count} under every filter but the colour filter (one aggregate query)."""
        return self.filterset.qs_without("status").colour_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.urlencode()
        context["facets"] = colour_facets(self.request, self.colour_counts)
        context["export_url"] = reverse("klik:export") + (f"?{query}" if query else "")
        return context


def colour_facets(request, counts):
    """Each colour's count (`counts`, under the other filters), with a link toggling it."""
    chosen = [value for value in request.GET.getlist("status") if value in Colour.values]
    facets = []
    for colour in Colour:
        active = colour.value in chosen
        params = request.GET.copy()
        params.setlist(
            "status", [c for c in chosen if c != colour] if active else [*chosen, colour.value]
        )
        params.pop("page", None)
        facets.append(
            {
                "colour": colour.value,
                "label": colour.label,
                "count": counts[colour.value],
                "active": active,
                "url": f"?{params.urlencode()}",
            }
        )
    return facets


class TaskExportView(VisibleTasksMixin, FilterView):
    """The rows the list shows for the same query string, all pages, as an Excel file; more
    than KLIK_EXPORT_JOB_ROWS rows are made in the background, and the user waits on a page
    that shows the progress instead of a request that could time out."""

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        rows, filters = export_queryset(request, filterset)
        detail = request.build_absolute_uri(reverse("klik:detail", kwargs={"pk": 0}))[:-2]
        count = rows.count()
        if count > settings.KLIK_EXPORT_JOB_ROWS:
            job = export_job_enqueue(
                owner=request.user, query=request.GET.urlencode(), link_base=detail, rows=count
            )
            return redirect(job)
        now = timezone.localtime()
        workbook = task_workbook(
            queryset=rows,
            filters=filters,
            exported_at=now.replace(tzinfo=None),
            link_for=lambda pk: f"{detail}{pk}/",
        )
        filename = export_filename(now.date())
        return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX)


class ExportJobView(DetailView):
    """A background export: its progress while the worker makes it, then the file. Only its
    owner sees it (404 for anyone else), and only for the day it is kept."""

    template_name = "klik/export_job.html"
    context_object_name = "job"

    def get_queryset(self):
        return ExportJob.objects.for_owner(self.request.user)


class ExportJobFileView(ExportJobView):
    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404
        filename = export_filename(timezone.localtime(job.created_at).date())
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=filename, content_type=XLSX
        )


class TaskDetailView(DetailView):
    """One municipality task; its own municipality edits it, KOMBIT staff read it."""

    template_name = "klik/task_detail.html"
    context_object_name = "mt"

    def get_queryset(self):
        user = self.request.user
        return MunicipalityTask.objects.visible_to(user).with_colour().for_detail()

    def can_edit(self):
        return self.request.user.municipality_id == self.object.municipality_id

    def get_context_data(self, **kwargs):
        if self.can_edit() and "form" not in kwargs:
            kwargs["form"] = MunicipalityTaskForm(municipality_task=self.object)
        holders = list(self.object.role_holders())
        needed_roles = [
            (role, list(dict.fromkeys(a.person for a in holders if a.role_id == role.pk)))
            for role in self.object.task.roles.all()
        ]
        return super().get_context_data(
            can_edit=self.can_edit(),
            colour_label=Colour(self.object.colour).label,
            needed_roles=needed_roles,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.can_edit():
            raise PermissionDenied
        form = MunicipalityTaskForm(request.POST, municipality_task=self.object)
        stale = None
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                municipality_task_update(
                    municipality_task=self.object,
                    user=request.user,
                    data=data,
                    version=form.cleaned_data["version"],
                )
            except StaleVersionError as error:
                stale = error.changes
                form = MunicipalityTaskForm(
                    refreshed_data(form, self.object), municipality_task=self.object
                )
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, SAVED)
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(form=form, stale_changes=stale))
