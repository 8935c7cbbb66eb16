"""Admin for KOMBIT's catalogue: municipalities, support systems, interfaces, projects, events."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from rollegalleri.models import ProjectRole

from .models import (
    Event,
    Interface,
    InterfaceUsage,
    Material,
    Municipality,
    Project,
    SupportSystem,
    User,
)

admin.site.site_header = _("KOMBIT programme leader – administration")
admin.site.site_title = _("KOMBIT programme leader – administration")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Municipality"), {"fields": ("municipality",)}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Municipality"), {"fields": ("municipality",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "municipality", "is_staff")
    list_filter = ("municipality", "groups", "is_staff", "is_superuser", "is_active")
    list_select_related = ("municipality",)
    search_fields = ("username", "first_name", "last_name", "email", "municipality__name")
    autocomplete_fields = ("municipality",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")
    list_per_page = 100


class InterfaceInline(admin.TabularInline):
    model = Interface
    fields = ("code", "name", "documentation_url")
    extra = 0
    show_change_link = True


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ("title", "url")
    extra = 0


@admin.register(SupportSystem)
class SupportSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (InterfaceInline, MaterialInline)


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "support_system", "url")
    list_filter = ("support_system",)
    list_select_related = ("support_system",)
    search_fields = ("title", "url", "support_system__name")
    autocomplete_fields = ("support_system",)


class UsageByInterfaceInline(admin.TabularInline):
    """The projects using an interface, edited on the interface."""

    model = InterfaceUsage
    fields = ("project", "state", "planned_year", "planned_on", "note")
    autocomplete_fields = ("project",)
    extra = 0


@admin.register(Interface)
class InterfaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "support_system")
    list_filter = ("support_system",)
    list_select_related = ("support_system",)
    search_fields = ("code", "name", "description")
    autocomplete_fields = ("support_system",)
    inlines = (UsageByInterfaceInline,)


class ProjectRoleInline(admin.TabularInline):
    model = ProjectRole
    fields = ("role", "required", "note")
    autocomplete_fields = ("role",)
    extra = 0


class UsageByProjectInline(admin.TabularInline):
    """The interfaces a project uses, edited on the project."""

    model = InterfaceUsage
    fields = ("interface", "state", "planned_year", "planned_on", "note")
    autocomplete_fields = ("interface",)
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "phase", "has_pilot", "rollout", "go_live_on")
    list_filter = ("phase", "has_pilot", "rollout")
    search_fields = ("short_name", "name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    autocomplete_fields = ("pilot_municipalities",)
    date_hierarchy = "go_live_on"
    inlines = (UsageByProjectInline, ProjectRoleInline)
    fieldsets = (
        (None, {"fields": ("short_name", "name", "slug", "description", "phase")}),
        (
            _("Pilot"),
            {"fields": ("has_pilot", "pilot_municipalities", "pilot_note", "pilot_duration")},
        ),
        (_("Rollout"), {"fields": ("rollout", "rollout_waves", "go_live_on", "klik_note")}),
    )


@admin.register(InterfaceUsage)
class InterfaceUsageAdmin(admin.ModelAdmin):
    list_display = ("interface", "project", "state", "planned_year", "planned_on")
    list_filter = ("state", "project", "interface__support_system")
    list_select_related = ("interface", "project")
    search_fields = ("interface__code", "interface__name", "project__short_name", "note")
    autocomplete_fields = ("project", "interface")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "place", "support_system", "project")
    list_filter = ("kind", "support_system", "project")
    list_select_related = ("support_system", "project")
    search_fields = ("title", "description", "audience", "hosts", "place")
    autocomplete_fields = ("support_system", "project")
    date_hierarchy = "starts_at"
