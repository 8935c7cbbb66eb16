"""Pages of the role gallery: the catalogue, staffing, and persons with their roles."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from portfolio.filtering import FilterPolicyMixin, check_scope, filter_errors, filtered
from portfolio.models import Municipality, Project
from portfolio.paging import DEFAULT_PER_PAGE, BoundedPaginator

from . import services
from .exports import staffing_workbook
from .filters import PersonFilter, StaffingFilter
from .forms import PersonForm, RoleAssignmentForm
from .models import Person, ProjectRole, Role, RoleAssignment
from .staffing import base_queryset, municipal_matrix, national_matrix
from .tables import PersonTable


def can_manage(user):
    """Municipal users with the permissions manage persons; KOMBIT staff only read."""
    return bool(user.municipality_id) and user.has_perms(
        ["rollegalleri.add_person", "rollegalleri.change_person", "rollegalleri.add_roleassignment"]
    )


class ManageMixin(PermissionRequiredMixin):
    """Write views: 403 for anyone who may not manage persons (KOMBIT staff included)."""

    raise_exception = True

    def has_permission(self):
        return can_manage(self.request.user)


class RoleListView(ListView):
    """/roller/: the gallery grouped by the deck's three categories."""

    model = Role
    template_name = "rollegalleri/role_list.html"
    context_object_name = "roles"


class RoleDetailView(DetailView):
    """/roller/<slug>/: one role with where it is needed and who holds it here."""

    model = Role
    template_name = "rollegalleri/role_detail.html"
    context_object_name = "role"

    def get_context_data(self, **kwargs):
        role = self.object
        municipality = self.request.user.municipality
        holders = None
        if municipality is not None:
            holders = RoleAssignment.objects.held_in(municipality).filter(role=role)
        return super().get_context_data(
            support_systems=role.support_systems.all(),
            project_roles=role.project_roles.for_matrix(),
            tasks=role.klik_tasks.visible_to(self.request.user).for_list(),
            holders=holders,
            **kwargs,
        )


def _by_slug(queryset, value):
    """The row with slug `value`, or None; a malformed value never reaches the database."""
    return queryset.filter(slug=value).first() if slug_re.match(value) else None


def role_and_project(request):
    """(role, project) named by `?role=<slug>&project=<slug>` (from an Ubesat cell), or None."""
    role = _by_slug(Role.objects.all(), request.GET.get("role", ""))
    project = _by_slug(Project.objects.all(), request.GET.get("project", ""))
    return (role, project) if role and project else None


class StaffingMixin:
    """Builds the filtered matrix both the page and the export show: the user's own
    municipality, or for KOMBIT staff the one `?municipality=<code>` names (none: the national
    summary). Another municipality answers 404; a bad value leaves the matrix empty."""

    def get_staffing(self):
        request, user = self.request, self.request.user
        if not user.municipality_id and not user.is_kombit_staff:
            raise PermissionDenied
        # The rows depend on the municipality the form names, so they are set once it is read.
        filterset = StaffingFilter(
            request.GET, queryset=ProjectRole.objects.none(), request=request
        )
        check_scope(request, filterset)
        if user.municipality_id:
            municipality = user.municipality
        else:
            filterset.is_valid()
            municipality = filterset.form.cleaned_data.get("municipality")
        count = None if municipality else Municipality.objects.count()
        filterset.queryset = base_queryset(municipality, count)
        queryset = filtered(filterset)
        if municipality is None:
            return municipality, filterset, national_matrix(queryset, count)
        return municipality, filterset, municipal_matrix(queryset, municipality)


class StaffingView(StaffingMixin, TemplateView):
    """/roller/bemanding/: roles × projects for a municipality, unstaffed required roles
    flagged; for KOMBIT staff without a municipality chosen, the national summary."""

    template_name = "rollegalleri/staffing.html"

    def get_context_data(self, **kwargs):
        municipality, filterset, matrix = self.get_staffing()
        municipalities = None
        if self.request.user.is_kombit_staff:
            municipalities = Municipality.objects.only("code", "name")
        return super().get_context_data(
            municipality=municipality,
            filter=filterset,
            matrix=matrix,
            municipalities=municipalities,
            can_manage=can_manage(self.request.user),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class StaffingExportView(StaffingMixin, View):
    """/roller/bemanding/eksport.xlsx: the matrix the same query string shows."""

    def get(self, request):
        municipality, filterset, matrix = self.get_staffing()
        today = timezone.localdate()
        content = staffing_workbook(
            matrix=matrix, filters=self.filter_labels(municipality, filterset), today=today
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        scope = municipality.code if municipality else "alle"
        name = f"bemanding-{scope}-{today.isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @staticmethod
    def filter_labels(municipality, filterset):
        """(label, value) for the export's About sheet."""
        labels = [(_("Municipality"), str(municipality) if municipality else _("All"))]
        data = filterset.form.cleaned_data if filterset.is_valid() else {}
        if data.get("project"):
            labels.append((_("Project"), ", ".join(p.short_name for p in data["project"])))
        if data.get("category"):
            labels.append((_("Category"), dict(Role.Category.choices)[data["category"]]))
        if data.get("unstaffed"):
            labels.append((_("Only unstaffed"), _("Yes")))
        return labels + filter_errors(filterset)


class PersonListView(FilterPolicyMixin, SingleTableMixin, FilterView):
    """/roller/personer/: the persons of the user's municipality (all for KOMBIT staff);
    a bad filter value lists nobody, another municipality answers 404."""

    table_class = PersonTable
    template_name = "rollegalleri/person_list.html"
    filterset_class = PersonFilter
    # Only the table pages, with the rule of every list: a bad ?page= moves into range, a bad
    # ?per_page= falls back to the default. (ListView's own paginate_by would page the rows a
    # second time and answer 404 to a bad page.)
    table_pagination = {"per_page": DEFAULT_PER_PAGE, "paginator_class": BoundedPaginator}

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).for_list()

    @cached_property
    def assign(self):
        """(role, project) to offer each person, when coming from an Ubesat cell."""
        return role_and_project(self.request) if can_manage(self.request.user) else None

    def get_table_kwargs(self):
        return {"show_municipality": self.request.user.is_kombit_staff, "assign": self.assign}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=can_manage(self.request.user),
            assign=self.assign,
            query=self.request.GET.urlencode() if self.assign else "",
            **kwargs,
        )


class PersonDetailView(DetailView):
    """/roller/personer/<pk>/: a person, their roles (history too) and open KLIK tasks."""

    template_name = "rollegalleri/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("municipality", "user")

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            assignments=person.assignments.for_person_page(),
            open_tasks=person.open_klik_tasks(viewer=self.request.user),
            can_manage=can_manage(self.request.user),
            **kwargs,
        )


class PersonCreateView(ManageMixin, FormView):
    form_class = PersonForm
    template_name = "rollegalleri/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.request.user.municipality}

    def form_valid(self, form):
        try:
            person = services.person_create(
                municipality=self.request.user.municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%s was added.") % person.name)
        assign = role_and_project(self.request)
        if assign:
            # Added from an Ubesat cell: go on to give the new person that role.
            url = reverse("rollegalleri:assignment_create", kwargs={"pk": person.pk})
            return redirect(
                f"{url}?{urlencode({'role': assign[0].slug, 'project': assign[1].slug})}"
            )
        return redirect(person)


class PersonMixin(ManageMixin):
    """A write view about one person of the user's municipality (404 for any other)."""

    def dispatch(self, request, *args, **kwargs):
        # Check permission first, so KOMBIT staff get 403 rather than a found person.
        if not self.has_permission():
            return self.handle_no_permission()
        persons = Person.objects.visible_to(request.user).select_related("municipality")
        self.person = get_object_or_404(persons, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class PersonUpdateView(PersonMixin, FormView):
    form_class = PersonForm
    template_name = "rollegalleri/person_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.person,
            "municipality": self.person.municipality,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            services.person_update(person=self.person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect(self.person)


class PersonRetireView(PersonMixin, TemplateView):
    """Confirm, then retire: the open tasks where the person is on are listed before and after."""

    template_name = "rollegalleri/person_retire.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            open_tasks=self.person.open_klik_tasks(viewer=self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            open_tasks = services.person_retire(person=self.person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.person)
        messages.success(request, _("%s has retired; their roles have ended.") % self.person)
        if open_tasks:
            titles = "; ".join(mt.task.title for mt in open_tasks)
            messages.warning(
                request,
                _("%(name)s is still responsible or executor on %(count)d open tasks: %(titles)s")
                % {"name": self.person.name, "count": len(open_tasks), "titles": titles},
            )
        return redirect(self.person)


class RoleAssignmentCreateView(PersonMixin, FormView):
    """Give the person a role; `?role=<slug>&project=<slug>` preselects (from the matrix)."""

    form_class = RoleAssignmentForm
    template_name = "rollegalleri/assignment_form.html"

    def get_initial(self):
        initial = super().get_initial()
        role = _by_slug(Role.objects.all(), self.request.GET.get("role", ""))
        project = _by_slug(Project.objects.all(), self.request.GET.get("project", ""))
        return {**initial, "role": role, "project": project}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            services.role_assignment_create(
                municipality=self.request.user.municipality, person=self.person, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s now holds the role %(role)s.")
            % {"name": self.person.name, "role": form.cleaned_data["role"].name},
        )
        return redirect(self.person)


class RoleAssignmentEndView(ManageMixin, TemplateView):
    """Confirm, then end an assignment. The row stays as history."""

    template_name = "rollegalleri/assignment_end.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        assignments = RoleAssignment.objects.visible_to(request.user).select_related(
            "person", "role", "project"
        )
        self.assignment = get_object_or_404(assignments, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.role_assignment_end(assignment=self.assignment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The assignment has ended."))
        return redirect(self.assignment.person)
