"""Admin for the role gallery: roles, project roles, persons and their role assignments."""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portfolio.admin import ConstraintCheckingInlineFormSet, MunicipalityScopedAdmin
from portfolio.admin import ProjectAdmin as CatalogueProjectAdmin
from portfolio.models import Project

from .models import Person, ProjectRole, Role, RoleAssignment


class CurrentListFilter(admin.SimpleListFilter):
    """Current (not ended) or ended assignments."""

    title = _("current")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class ProjectRoleByRoleInline(admin.TabularInline):
    """The projects that need a role, edited on the role."""

    model = ProjectRole
    formset = ConstraintCheckingInlineFormSet
    fields = ("project", "required", "note")
    autocomplete_fields = ("project",)
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "position", "platform", "headline")
    list_editable = ("position",)
    list_filter = ("category", "platform", "support_systems")
    search_fields = ("name", "slug", "headline", "responsibility", "tasks", "competencies")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("support_systems",)
    inlines = (ProjectRoleByRoleInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "position", "platform", "headline")}),
        (capfirst(_("description")), {"fields": ("responsibility", "tasks", "competencies")}),
        (capfirst(_("support systems")), {"fields": ("support_systems",)}),
    )


@admin.register(ProjectRole)
class ProjectRoleAdmin(admin.ModelAdmin):
    list_display = ("project", "role", "required", "note")
    list_filter = ("required", "project", "role__category")
    list_select_related = ("project", "role")
    search_fields = ("project__short_name", "project__name", "role__name", "note")
    autocomplete_fields = ("project", "role")


class AssignmentFormSet(ConstraintCheckingInlineFormSet):
    """Also refuses two current rows of the same role and project in one submission."""

    def clean(self):
        super().clean()
        constraints = {c.name: c for c in RoleAssignment._meta.constraints}
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid() or not form.cleaned_data:
                continue
            assignment = form.instance
            if assignment.ended_on is not None or assignment.role_id is None:
                continue
            key = (assignment.role_id, assignment.project_id)
            if key in seen:
                name = "assignment_unique_current_" + (
                    "across_projects" if assignment.project_id is None else "for_project"
                )
                form.add_error(None, constraints[name].get_violation_error_message())
            seen.add(key)


class AssignmentByPersonInline(admin.TabularInline):
    """The roles a person holds, edited on the person."""

    model = RoleAssignment
    formset = AssignmentFormSet
    fields = ("role", "project", "started_on", "ended_on", "primary")
    autocomplete_fields = ("role", "project")
    extra = 0


@admin.register(Person)
class PersonAdmin(MunicipalityScopedAdmin):
    list_display = ("name", "municipality", "email", "job_title", "department", "retired_on")
    list_filter = ("municipality", ("retired_on", admin.EmptyFieldListFilter))
    list_select_related = ("municipality",)
    search_fields = ("name", "email", "job_title", "department", "municipality__name")
    autocomplete_fields = ("municipality",)
    raw_id_fields = ("user",)
    inlines = (AssignmentByPersonInline,)
    show_full_result_count = False
    list_per_page = 50


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(MunicipalityScopedAdmin):
    list_display = ("person", "municipality", "role", "project", "started_on", "ended_on")
    list_filter = (CurrentListFilter, "role__category", "role", "project")
    list_select_related = ("person__municipality", "role", "project")
    search_fields = ("person__name", "person__email", "role__name", "project__short_name")
    autocomplete_fields = ("person", "role", "project")
    date_hierarchy = "started_on"
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("municipality"), ordering="person__municipality__name")
    def municipality(self, assignment):
        return assignment.person.municipality


class ProjectRoleInline(admin.TabularInline):
    """The roles a project needs, edited on the project."""

    model = ProjectRole
    formset = ConstraintCheckingInlineFormSet
    fields = ("role", "required", "note")
    autocomplete_fields = ("role",)
    extra = 0


# The catalogue's project page gains the project's gallery: portfolio sits below the role
# gallery and cannot name ProjectRole, so the role gallery extends the page it registered.
admin.site.unregister(Project)


@admin.register(Project)
class ProjectAdmin(CatalogueProjectAdmin):
    inlines = (*CatalogueProjectAdmin.inlines, ProjectRoleInline)
