"""Admin for KLIK: publishing tasks, and the municipalities' copies with their traffic light."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portfolio.admin import MunicipalityScopedAdmin
from portfolio.scoping import scope_by_municipality

from .models import Colour, MunicipalityTask, MunicipalityTaskChange, Task
from .services import (
    EDITABLE_FIELDS,
    StaleVersionError,
    may_change,
    municipality_task_lock,
    municipality_task_update,
    municipality_tasks_ensure,
)

STALE_IN_ADMIN = _(
    "Someone saved this task after you opened it, so your changes were not saved. "
    "Open the task again to see it as it is now, then make your changes again."
)
CHANGE_SINCE = _("%(when)s – %(who)s changed %(field)s from «%(old)s» to «%(new)s»")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """KOMBIT's catalogue of tasks; municipalities' local tasks live on their own pages."""

    list_display = ("title", "project", "support_system", "kind", "starts_on", "deadline")
    list_filter = ("kind", "project", "support_system", "deadline")
    list_select_related = ("project", "support_system")
    search_fields = ("title", "description", "klik_reference", "project__short_name")
    autocomplete_fields = ("project", "support_system", "interfaces", "roles")
    date_hierarchy = "deadline"
    fieldsets = (
        (None, {"fields": ("title", "description", "kind", "klik_reference", "klik_url")}),
        (_("Concerns"), {"fields": ("project", "support_system", "interfaces", "roles")}),
        (_("Dates"), {"fields": ("published_on", "starts_on", "deadline")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).kombit()

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


def change_text(change):
    """One recorded change as a line of text, for the admin's error list."""
    who = change.changed_by
    return CHANGE_SINCE % {
        "when": formats.date_format(timezone.localtime(change.changed_at), "DATETIME_FORMAT"),
        "who": (who.get_full_name() or who.username) if who else _("unknown"),
        "field": change.field_label,
        "old": change.old_value or "–",
        "new": change.new_value or "–",
    }


class MunicipalityTaskAdminForm(forms.ModelForm):
    """The admin's form; `loaded_version` carries the task version the form showed, so a save
    over someone else's newer change is refused, as on the task page."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = MunicipalityTask
        fields = ("task", "municipality", *EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        version = cleaned.get("loaded_version")
        if version is None:
            raise ValidationError(STALE_IN_ADMIN)
        try:
            # The admin saves inside one transaction, so the row stays locked until the save.
            municipality_task_lock(municipality_task=self.instance, version=version)
        except StaleVersionError as error:
            raise ValidationError(
                [STALE_IN_ADMIN, *(change_text(c) for c in error.changes)]
            ) from error
        return cleaned


@admin.register(MunicipalityTask)
class MunicipalityTaskAdmin(MunicipalityScopedAdmin):
    form = MunicipalityTaskAdminForm
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
        queryset = super().get_queryset(request).with_colour(timezone.localdate())
        if not request.user.municipality_id:
            # A municipality's local tasks are its own, not KOMBIT's (admins included).
            queryset = queryset.filter(task__municipality__isnull=True)
        return queryset

    def has_change_permission(self, request, obj=None):
        # The model permission, then the task page's rule for this task.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_change(request.user, obj))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only viewers save nothing; the version the form carries is no field to them.
            return [name for name in fields if name != "loaded_version"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        # A copy belongs to its task and municipality for good; publishing made it.
        if obj is not None:
            return ("task", "municipality", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.updated_at = timezone.now()
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            return
        # The task page's path: version check, history of each changed field, version bump.
        municipality_task_update(
            municipality_task=obj,
            user=request.user,
            data={
                name: form.cleaned_data[name]
                for name in EDITABLE_FIELDS
                if name in form.cleaned_data
            },
            version=form.cleaned_data["loaded_version"],
        )

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
        if not request.user.is_superuser:
            queryset = scope_by_municipality(
                queryset, request.user, "municipality_task__municipality_id"
            )
        if not request.user.municipality_id:
            # KOMBIT staff and admins see no trace of a municipality's local tasks or its own
            # attachments.
            queryset = queryset.filter(municipality_task__task__municipality__isnull=True).exclude(
                field=MunicipalityTaskChange.ATTACHMENT
            )
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
