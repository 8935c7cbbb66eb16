"""The KLIK task list, its Excel export and the task page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from portfolio.filtering import FilterPolicyMixin, refuse_foreign_ids
from portfolio.paging import DEFAULT_PER_PAGE, BoundedPaginator
from rollegalleri.models import Person

from .bulk import (
    BAD_SELECTION,
    BulkUpdateForm,
    changes_since,
    municipality_tasks_bulk_update,
    selected_tasks,
)
from .exports import export_filename, export_queryset, task_workbook
from .filters import PERSON_PARAMETERS, KlikFilterSet
from .forms import (
    AttachmentForm,
    EscalationForm,
    LocalTaskForm,
    MunicipalityTaskForm,
    refreshed_data,
)
from .models import (
    Attachment,
    Colour,
    ExportJob,
    MunicipalityTask,
    MunicipalityTaskChange,
    SavedFilter,
    State,
)
from .pdf import task_pdf
from .saved_filters import (
    SavedFilterForm,
    saved_filter_create,
    saved_filter_delete,
    saved_filter_update,
    saved_query,
)
from .services import (
    CHANGE_PERMISSION,
    NOT_YOUR_MUNICIPALITY,
    StaleVersionError,
    attachment_add,
    attachment_remove,
    attachment_target,
    export_job_enqueue,
    may_change,
    may_escalate,
    may_remove_attachment,
    municipality_task_escalate,
    municipality_task_update,
    task_create_local,
    task_delete_local,
    task_update_local,
)
from .tables import TaskTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED = _("The task was saved.")
LOCAL_CREATED = _("The local task was created.")
LOCAL_DELETED = _("The local task was deleted. Its history is kept.")
ATTACHED = _("The file was attached.")
DETACHED = _("The attachment was removed.")


class VisibleTasksMixin(FilterPolicyMixin):
    """The municipality tasks the user may see, with today's colour and what the table shows;
    bad filter values list nothing, another municipality answers 404."""

    model = MunicipalityTask
    filterset_class = KlikFilterSet

    def get_queryset(self):
        user = self.request.user
        return MunicipalityTask.objects.visible_to(user).with_colour().for_table().open_first()


class TaskListView(VisibleTasksMixin, SingleTableMixin, FilterView):
    template_name = "klik/task_list.html"
    table_class = TaskTable
    table_pagination = {"per_page": DEFAULT_PER_PAGE, "paginator_class": BoundedPaginator}

    def get_table_kwargs(self):
        user = self.request.user
        hidden = () if user.is_kombit_staff else ("municipality",)
        if not user.municipality_id:
            hidden += ("select",)  # bulk assignment is for the municipality's own users
        return {"exclude": hidden}

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
        context["bulk_form"] = self.bulk_form()
        context["saved_filters"] = list(
            SavedFilter.objects.visible_to(self.request.user).select_related("owner__person")
        )
        context["save_filter_form"] = SavedFilterForm(
            user=self.request.user, initial={"query": saved_query(query)}
        )
        context["can_create_local"] = may_create_local(self.request.user)
        return context

    def bulk_form(self):
        """The bulk assignment form for the municipality's own users (None for others). Its
        person selects and the filters' share one query of the municipality's persons."""
        user = self.request.user
        if not user.municipality_id or not user.has_perm(CHANGE_PERMISSION):
            return None  # a reader only reads
        form = BulkUpdateForm(
            municipality_id=user.municipality_id, initial={"back": self.request.GET.urlencode()}
        )
        persons = list(Person.objects.visible_to(user).order_by("name", "pk"))
        active = [p for p in persons if p.retired_on is None]
        fields = [form.fields["responsible"], form.fields["executor"]]
        share_choices(fields, active)
        share_choices([self.filterset.form.fields[n] for n in PERSON_PARAMETERS], persons)
        return form


def share_choices(fields, persons):
    """Give model choice fields their options from one list instead of a query each."""
    for field in fields:
        field.widget.choices = [
            ("", field.empty_label),
            *((p.pk, field.label_from_instance(p)) for p in persons),
        ]


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
    """One municipality task; those `may_change` allows edit it, the others read it."""

    template_name = "klik/task_detail.html"
    context_object_name = "mt"

    def get_queryset(self):
        user = self.request.user
        return MunicipalityTask.objects.visible_to(user).with_colour().for_detail()

    def can_edit(self):
        return may_change(self.request.user, self.object)

    def get_context_data(self, **kwargs):
        user = self.request.user
        if self.can_edit() and "form" not in kwargs:
            kwargs["form"] = MunicipalityTaskForm(municipality_task=self.object)
        solved = self.object.state == State.DONE
        holders = list(self.object.role_holders())
        needed_roles = [
            (role, list(dict.fromkeys(a.person for a in holders if a.role_id == role.pk)))
            for role in self.object.task.roles.all()
        ]
        attachments = list(Attachment.objects.visible_to(user).for_task_page(self.object))
        for attachment in attachments:
            attachment.removable = may_remove_attachment(user, attachment)
        target = attachment_target(user, self.object)
        # A municipality's own attachments, names included, stay within it.
        history = [
            change
            for change in self.object.changes.all()
            if user.municipality_id or change.field != MunicipalityTaskChange.ATTACHMENT
        ]
        return super().get_context_data(
            can_edit=self.can_edit(),
            can_edit_local=self.object.task.is_local and may_edit(self.request.user, self.object),
            can_escalate=may_escalate(self.request.user, self.object),
            colour_label=State.DONE.label if solved else Colour(self.object.colour).label,
            solved=solved,
            needed_roles=needed_roles,
            attachments=attachments,
            attachment_target=target,
            attachment_form=AttachmentForm() if target else None,
            history=history,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.can_edit():
            raise PermissionDenied
        # Another municipality's person named in the form is a 404, as that person's page is.
        refuse_foreign_ids(
            request.POST,
            ("responsible", "executor"),
            Person.objects.all(),
            self.object.municipality_id,
        )
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


BULK_SAVED = _("%(count)s tasks were saved.")
BULK_NOTHING_SAVED = _("No task was changed.")


class BulkUpdateView(View):
    """POST from the list's bulk form: first a confirmation page listing what will change and
    which tasks someone changed since the list was loaded, then (confirm) the save itself."""

    http_method_names = ["post"]

    def post(self, request):
        user = request.user
        if not user.municipality_id or not user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
        form = BulkUpdateForm(request.POST, municipality_id=user.municipality_id)
        back = back_url(request.POST.get("bulk-back", ""))
        if not form.is_valid():
            for error in form.non_field_errors() or [BAD_SELECTION]:
                messages.error(request, error)
            return redirect(back)
        selected = form.cleaned_data["selected"]
        if request.POST.get("confirm") != "yes":
            tasks = selected_tasks(user=user, selected=selected)
            stale = changes_since(selected, tasks)
            return render(
                request,
                "klik/bulk_confirm.html",
                {
                    "form": form,
                    "selected": selected,
                    "fresh": [t for t in tasks if t.pk not in stale],
                    "stale": [(t, stale[t.pk]) for t in tasks if t.pk in stale],
                    "changes": bulk_changes_shown(form),
                    "back": back,
                },
            )
        result = municipality_tasks_bulk_update(user=user, selected=selected, data=form.changes)
        if result.saved:
            messages.success(request, BULK_SAVED % {"count": len(result.saved)})
        if not result.refused:
            if not result.saved:
                messages.info(request, BULK_NOTHING_SAVED)
            return redirect(back)
        return render(request, "klik/bulk_result.html", {"result": result, "back": back})


def back_url(query):
    """The KLIK list with the query string the bulk form was sent from (never another site)."""
    query = query.lstrip("?").replace("\r", "").replace("\n", "")
    return reverse("klik:list") + (f"?{query}" if query else "")


def bulk_changes_shown(form):
    """[(label, value shown)] for the fields the bulk form sets."""
    shown = []
    for name, value in form.changes.items():
        field = form.fields[name]
        if name == "needs_help":
            value = _("Yes") if value else _("No")
        elif name == "state":
            value = State(value).label
        shown.append((field.label, value))
    return shown


FILTER_SAVED = _("The filter “%(name)s” was saved.")
FILTER_CHANGED = _("The filter was saved.")
FILTER_DELETED = _("The filter “%(name)s” was deleted.")


class SavedFilterCreateView(View):
    """POST from the list's "Gem filter": name the current query string."""

    http_method_names = ["post"]

    def post(self, request):
        form = SavedFilterForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(back_url(request.POST.get("query", "")))
        saved = saved_filter_create(
            owner=request.user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
            shared=form.cleaned_data.get("shared", False),
        )
        messages.success(request, FILTER_SAVED % {"name": saved.name})
        return redirect(saved.get_absolute_url())


class SavedFilterUpdateView(View):
    """/klik/filtre/<pk>/: rename, share or delete one of the user's own saved filters."""

    template_name = "klik/saved_filter_form.html"

    def dispatch(self, request, *args, pk, **kwargs):
        self.saved = get_object_or_404(SavedFilter.objects.filter(owner=request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = SavedFilterForm(instance=self.saved, user=request.user)
        return render(request, self.template_name, {"form": form, "saved": self.saved})

    def post(self, request):
        if "delete" in request.POST:
            saved_filter_delete(saved_filter=self.saved, user=request.user)
            messages.success(request, FILTER_DELETED % {"name": self.saved.name})
            return redirect("klik:list")
        form = SavedFilterForm(request.POST, instance=self.saved, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "saved": self.saved})
        saved_filter_update(
            saved_filter=self.saved,
            user=request.user,
            name=form.cleaned_data["name"],
            shared=form.cleaned_data.get("shared", False),
        )
        messages.success(request, FILTER_CHANGED)
        return redirect("klik:list")


ESCALATED = _("The task is marked as escalated.")
UNESCALATED = _("The escalation mark was removed.")


class EscalationView(View):
    """POST /klik/<id>/eskalering/: a programme leader marks the task as escalated with a short
    note ("Markér som eskaleret") or removes the mark ("Fjern markering"), version-checked,
    then returns to the page the form was on."""

    http_method_names = ["post"]

    def post(self, request, pk):
        mt = get_object_or_404(MunicipalityTask.objects.visible_to(request.user), pk=pk)
        form = EscalationForm(request.POST)
        back = form.back_url(request, default=mt.get_absolute_url())
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(back)
        escalate = form.cleaned_data["action"] == "mark"
        try:
            municipality_task_escalate(
                municipality_task=mt,
                user=request.user,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                escalate=escalate,
            )
        except (StaleVersionError, ValidationError, PermissionDenied) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return redirect(back)
        messages.success(request, ESCALATED if escalate else UNESCALATED)
        return redirect(back)


def may_edit(user, municipality_task):
    """Whether the user edits the task on its page: its municipality's editors (not readers)."""
    return user.municipality_id == municipality_task.municipality_id and user.has_perm(
        CHANGE_PERMISSION
    )


def may_create_local(user):
    """Whether the user may create local tasks: a municipality's editors."""
    return bool(user.municipality_id) and user.has_perm(CHANGE_PERMISSION)


class LocalTaskCreateView(FormView):
    """`/klik/ny/`: a municipality's own task, seen by that municipality only."""

    template_name = "klik/local_task_form.html"
    form_class = LocalTaskForm

    def dispatch(self, request, *args, **kwargs):
        if not may_create_local(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.request.user.municipality}

    def post(self, request, *args, **kwargs):
        # Another municipality's person named in the form is a 404, as that person's page is.
        refuse_foreign_ids(
            request.POST,
            ("responsible", "executor"),
            Person.objects.all(),
            request.user.municipality_id,
        )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            copy = task_create_local(
                municipality=self.request.user.municipality,
                user=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, LOCAL_CREATED)
        return redirect(copy)


class LocalTaskMixin:
    """A local task of the user's municipality that the user may edit; 404 for any other."""

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(
            MunicipalityTask.objects.visible_to(request.user)
            .filter(task__municipality__isnull=False)
            .select_related("task"),
            pk=kwargs["pk"],
        )
        if not may_edit(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(mt=self.object, **kwargs)


class LocalTaskUpdateView(LocalTaskMixin, FormView):
    """`/klik/<id>/rediger/`: a local task's own fields, conflict-safe like the task page."""

    template_name = "klik/local_task_form.html"
    form_class = LocalTaskForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.object.task,
            "municipality": self.object.municipality,
            "municipality_task": self.object,
        }

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            task_update_local(
                municipality_task=self.object,
                user=self.request.user,
                data=data,
                version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
            return self.render_to_response(
                self.get_context_data(form=form, stale_changes=error.changes)
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return redirect(self.object)


class LocalTaskDeleteView(LocalTaskMixin, TemplateView):
    """`/klik/<id>/slet/`: asks first; deleting keeps the task's rows and history."""

    template_name = "klik/local_task_delete.html"

    def post(self, request, *args, **kwargs):
        task_delete_local(municipality_task=self.object, user=request.user)
        messages.success(request, LOCAL_DELETED)
        return redirect("klik:list")


class AttachmentAddView(View):
    """POST `/klik/<id>/bilag/`: attach a file to the task (KOMBIT) or to the copy."""

    def post(self, request, pk):
        mt = get_object_or_404(
            MunicipalityTask.objects.visible_to(request.user).select_related("task"), pk=pk
        )
        if attachment_target(request.user, mt) is None:
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            for error in form.errors.get("file", []):
                messages.error(request, error)
            return redirect(mt)
        try:
            attachment_add(
                user=request.user, municipality_task=mt, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, ATTACHED)
        return redirect(mt)


def attachment_download(request, pk):
    """GET `/klik/bilag/<id>/`: the file as a download, for those who may see it (else 404)."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class AttachmentRemoveView(View):
    """POST `/klik/bilag/<id>/fjern/`: remove an attachment; the history keeps its name."""

    def post(self, request, pk):
        attachment = get_object_or_404(
            Attachment.objects.visible_to(request.user).select_related("municipality_task"),
            pk=pk,
        )
        back = request.POST.get("next", "")
        if not may_remove_attachment(request.user, attachment):
            raise PermissionDenied
        attachment_remove(user=request.user, attachment=attachment)
        messages.success(request, DETACHED)
        # Only a path of this site is followed: redirect() would take anything else ("0", say)
        # for a view name to reverse, and fail.
        if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
        return redirect("klik:list")


class TaskPdfView(TaskDetailView):
    """`/klik/<id>/pdf/`: the task page as one A4 PDF ("Gem som PDF"), for whoever sees the page.
    Read only: the page's POST (its edit form) is not offered here."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        context["now"] = timezone.localtime().strftime("%d-%m-%Y %H:%M")
        response = HttpResponse(task_pdf(context, request), content_type="application/pdf")
        filename = f"klik-opgave-{self.object.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
