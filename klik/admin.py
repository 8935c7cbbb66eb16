"""Admin for KLIK: publishing tasks, and the municipalities' copies with their traffic light."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rollegalleri.admin import MunicipalityScopedAdmin
from rollegalleri.models import _scope_by_municipality

from .models import Colour, MunicipalityTask, MunicipalityTaskChange, Task
from .services import municipality_tasks_ensure


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "support_system", "kind", "starts_on", "deadline")
    list_filter = ("kind", "project", "support_system", "deadline")
    list_select_related = ("project", "support_system")
    search_fields = ("title", "description", "klik_reference", "project__short_name")
    autocomplete_fields = ("project", "support_system", "interfaces", "roles")
    date_hierarchy = "deadline"
    fieldsets = (
        (None, {"fields": ("title", "description", "kind", "klik_reference")}),
        (_("Concerns"), {"fields": ("project", "support_system", "interfaces", "roles")}),
        (_("Dates"), {"fields": ("published_on", "starts_on", "deadline")}),
    )

    def get_changeform_initial_data(self, request):
        return {
            "published_on": timezone.localdate(),
            **super().get_changeform_initial_data(request),
        }

    def save_related(self, request, form, formsets, change):
        """Publishing: once the task and its M2M are saved, every municipality gets its copy.

        The admin's change form runs in one transaction, so task and copies land together.
        Saving an existing task also fills in copies for municipalities added since.
        """
        super().save_related(request, form, formsets, change)
        made = municipality_tasks_ensure(task=form.instance)
        if made:
            self.message_user(
                request,
                ngettext(
                    "The task was published to %(count)d municipality.",
                    "The task was published to %(count)d municipalities.",
                    made,
                )
                % {"count": made},
            )


class ColourListFilter(admin.SimpleListFilter):
    """Filter by the KLIK traffic light, computed for today."""

    title = _("Status")
    parameter_name = "colour"

    def lookups(self, request, model_admin):
        return Colour.choices

    def queryset(self, request, queryset):
        if self.value() in Colour.values:
            return queryset.filter(colour=self.value())
        return queryset


@admin.register(MunicipalityTask)
class MunicipalityTaskAdmin(MunicipalityScopedAdmin):
    list_display = (
        "task",
        "municipality",
        "colour",
        "state",
        "responsible",
        "executor",
        "needs_help",
        "deadline",
        "updated_at",
    )
    list_filter = (
        ColourListFilter,
        "state",
        "needs_help",
        "task__project",
        "task__support_system",
        "municipality",
    )
    list_select_related = ("task", "municipality", "responsible", "executor")
    search_fields = (
        "task__title",
        "municipality__name",
        "=municipality__code",
        "responsible__name",
        "executor__name",
        "note",
    )
    autocomplete_fields = ("task", "municipality", "responsible", "executor")
    readonly_fields = ("updated_at", "updated_by", "version")
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).with_colour(timezone.localdate())

    def get_readonly_fields(self, request, obj=None):
        # A copy belongs to its task and municipality for good; publishing made it.
        if obj is not None:
            return ("task", "municipality", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Status"), ordering="colour_rank")
    def colour(self, municipality_task):
        return Colour(municipality_task.colour).label

    @admin.display(description=_("deadline"), ordering="task__deadline")
    def deadline(self, municipality_task):
        return municipality_task.task.deadline


@admin.register(MunicipalityTaskChange)
class MunicipalityTaskChangeAdmin(admin.ModelAdmin):
    """The history is written by the services; the admin only reads it."""

    list_display = (
        "municipality_task",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "changed_at",
    )
    list_filter = ("field", "changed_at")
    list_select_related = (
        "municipality_task__task",
        "municipality_task__municipality",
        "changed_by",
    )
    search_fields = ("municipality_task__task__title", "old_value", "new_value", "field")
    date_hierarchy = "changed_at"
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return _scope_by_municipality(queryset, request.user, "municipality_task__municipality_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
