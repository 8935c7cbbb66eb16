"""The municipality's logins as a table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portfolio.models import User

from .services import Role, holds_admin, role_of


class UserTable(tables.Table):
    username = tables.Column(verbose_name=_("Username"))
    name = tables.Column(
        accessor="get_full_name", verbose_name=_("Name"), order_by=("first_name", "last_name")
    )
    email = tables.Column(verbose_name=_("E-mail"))
    role = tables.Column(accessor="pk", verbose_name=_("Role"), orderable=False)
    person = tables.Column(accessor="person", verbose_name=_("Person"), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    last_login = tables.DateTimeColumn(verbose_name=_("Last signed in"), format="j. M Y")

    class Meta:
        model = User
        fields = ("username", "name", "email", "role", "person", "is_active", "last_login")
        sequence = fields
        order_by = ("username",)
        attrs = {"class": "table table--compact"}
        empty_text = _("No users match the filters.")

    def render_username(self, record, value):
        url = reverse("brugere:update", kwargs={"pk": record.pk})
        return format_html('<a href="{}">{}</a>', url, value)

    def render_role(self, record):
        role = role_of(record)
        label = Role(role).label if role else "–"
        if holds_admin(record):
            return format_html("{} <span>({})</span>", label, _("KLIK-administrator"))
        return label
