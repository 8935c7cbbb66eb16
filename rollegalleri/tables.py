"""The person list of the role gallery."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Person


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    retired_on = tables.DateColumn(verbose_name=_("Retired on"), format="j. N Y")

    class Meta:
        model = Person
        fields = ["name", "municipality", "job_title", "department", "email", "roles", "retired_on"]
        # The shared includes/table.html arrives with the KLIK list; this one needs no other file.
        template_name = "django_tables2/table.html"
        attrs = {"class": "table table--compact table--zebra rollegalleri-table"}
        order_by = ("name",)
        empty_text = _("No persons yet.")

    def __init__(self, *args, show_municipality=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_municipality:
            self.columns.hide("municipality")

    def render_roles(self, record):
        assignments = record.current_assignments
        if not assignments:
            return "–"
        return format_html(
            "<ul class='rollegalleri-inline-list no-max-width'>{}</ul>",
            format_html_join(
                "",
                "<li>{} <span class='rollegalleri-scope'>({})</span></li>",
                ((a.role.name, a.project or _("all projects")) for a in assignments),
            ),
        )

    def value_roles(self, record):
        return ", ".join(a.role.name for a in record.current_assignments)
