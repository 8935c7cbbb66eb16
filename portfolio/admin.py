"""Admin for KOMBIT's catalogue: municipalities, support systems, interfaces, projects, events."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

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


class ConstraintCheckingInlineFormSet(BaseInlineFormSet):
    """Checks every row against the model's constraints with its parent filled in.

    Django leaves the inline foreign key out of a row's constraint validation, so a row
    duplicating an existing one (project × role, person × role) passed the form and then
    failed in the database with a 500. Here it gets the constraint's message instead.
    """

    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            if form.instance._state.adding and not form.has_changed():
                continue  # an empty extra row
            exclude = {
                f.name for f in self.model._meta.concrete_fields if f.name not in form.fields
            }
            try:
                form.instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                form.add_error(None, error)


class MunicipalityScopedAdmin(admin.ModelAdmin):
    """Non-superusers see only the rows `visible_to` them, in lists, forms and autocompletes."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices too: a municipal user cannot pick another municipality or its persons.
        user = request.user
        related = db_field.related_model
        if not user.is_superuser:
            if related is Municipality:
                kwargs["queryset"] = Municipality.objects.filter(pk=user.municipality_id)
            elif hasattr(related._default_manager, "visible_to"):
                kwargs["queryset"] = related._default_manager.visible_to(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    formset = ConstraintCheckingInlineFormSet
    fields = ("code", "name", "documentation_url")
    extra = 0
    show_change_link = True


class MaterialInline(admin.TabularInline):
    model = Material
    formset = ConstraintCheckingInlineFormSet
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
    formset = ConstraintCheckingInlineFormSet
    fields = ("project", "state", "planned_year", "planned_on", "note", "source")
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


class UsageByProjectInline(admin.TabularInline):
    """The interfaces a project uses, edited on the project."""

    model = InterfaceUsage
    formset = ConstraintCheckingInlineFormSet
    fields = ("interface", "state", "planned_year", "planned_on", "note", "source")
    autocomplete_fields = ("interface",)
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "phase", "has_pilot", "rollout", "go_live_on", "source")
    list_filter = ("phase", "has_pilot", "rollout")
    search_fields = ("short_name", "name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    autocomplete_fields = ("pilot_municipalities",)
    date_hierarchy = "go_live_on"
    inlines = (UsageByProjectInline,)
    fieldsets = (
        (None, {"fields": ("short_name", "name", "slug", "description", "phase")}),
        (
            _("Pilot"),
            {"fields": ("has_pilot", "pilot_municipalities", "pilot_note", "pilot_duration")},
        ),
        (_("Rollout"), {"fields": ("rollout", "rollout_waves", "go_live_on", "klik_note")}),
        (_("Source"), {"fields": ("source",)}),
    )


@admin.register(InterfaceUsage)
class InterfaceUsageAdmin(admin.ModelAdmin):
    list_display = ("interface", "project", "state", "planned_year", "planned_on", "source")
    list_filter = ("state", "project", "interface__support_system")
    list_select_related = ("interface", "project")
    search_fields = ("interface__code", "interface__name", "project__short_name", "note")
    autocomplete_fields = ("project", "interface")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "place", "support_system", "project", "source")
    list_filter = ("kind", "support_system", "project")
    list_select_related = ("support_system", "project")
    search_fields = ("title", "description", "audience", "hosts", "place")
    autocomplete_fields = ("support_system", "project")
    date_hierarchy = "starts_at"
