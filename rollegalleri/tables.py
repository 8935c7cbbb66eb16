"""The person list of the role gallery."""

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portfolio.paging import DEFAULT_PER_PAGE

from .models import Person


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    retired_on = tables.DateColumn(verbose_name=_("Retired on"), format="j. N Y")
    assign = tables.Column(verbose_name=_("Assign"), empty_values=(), orderable=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "municipality",
            "job_title",
            "department",
            "email",
            "roles",
            "retired_on",
            "assign",
        ]
        # Sortable headers with aria-sort and DKFDS pagination, as on the KLIK list.
        template_name = "includes/table.html"
        attrs = {"class": "table table--compact table--zebra rollegalleri-table"}
        order_by = ("name",)
        # ?per_page=0 falls back to the table's own page size: the same default as /klik/.
        per_page = DEFAULT_PER_PAGE
        empty_text = _("No persons yet.")

    def __init__(self, *args, show_municipality=False, assign=None, **kwargs):
        """`assign`: (role, project) to offer each active person, coming from an Ubesat cell."""
        super().__init__(*args, **kwargs)
        self.assign = assign
        if not show_municipality:
            self.columns.hide("municipality")
        if assign is None:
            self.columns.hide("assign")

    def render_assign(self, record):
        if record.retired_on:
            return "–"
        role, project = self.assign
        url = reverse("rollegalleri:assignment_create", kwargs={"pk": record.pk})
        query = urlencode({"role": role.slug, "project": project.slug})
        return format_html(
            '<a href="{}?{}">{}<span class="sr-only"> {}</span></a>',
            url,
            query,
            _("Assign"),
            record.name,
        )

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
