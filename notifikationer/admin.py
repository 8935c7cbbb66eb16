from django.contrib import admin

from .models import CalendarFeed, ColourCount, MailPreference, Notice, OutgoingMail


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("email", "enabled", "tasks", "published", "digest", "digest_weekday")
    search_fields = ("email",)


class NoticeInline(admin.TabularInline):
    model = Notice
    fields = ("kind", "object_key", "period", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "topic")
    search_fields = ("recipient", "subject")
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    inlines = [NoticeInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(ColourCount)
class ColourCountAdmin(admin.ModelAdmin):
    list_display = ("day", "municipality", "project", "red", "yellow", "green", "grey")
    list_filter = ("day",)
    list_select_related = ("municipality", "project")
    show_full_result_count = False
