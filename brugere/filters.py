"""The user list's filters: name, role and whether the login is active."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.widgets import DkfdsFilterForm

from .services import ROLE_GROUPS, Role


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Name"),
        max_length=150,
        help_text=_("Name, username or e-mail."),
    )
    role = django_filters.ChoiceFilter(
        method="filter_role", choices=Role.choices, label=_("Role"), empty_label=_("All roles")
    )
    active = django_filters.ChoiceFilter(
        method="filter_active",
        choices=[("yes", _("Active")), ("no", _("Deactivated"))],
        label=_("Active"),
        empty_label=_("Active and deactivated"),
    )

    class Meta:
        form = DkfdsFilterForm

    def search(self, queryset, name, value):
        """Logins whose name, username or e-mail contain `value`."""
        terms = Q()
        for path in ("username", "first_name", "last_name", "email", "person__name"):
            terms |= Q(**{f"{path}__icontains": value})
        return queryset.filter(terms)

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=ROLE_GROUPS[Role(value)])

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
