"""Filters of the staffing matrix and the person list."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Municipality, Project
from portfolio.widgets import DkfdsFilterForm

from .models import Person, Role


class StaffingFilter(filters.FilterSet):
    """Filters project roles annotated with `is_staffed` (see staffing.base_queryset)."""

    project = filters.ModelMultipleChoiceFilter(
        label=_("Project"),
        field_name="project__slug",
        to_field_name="slug",
        queryset=Project.objects.filter(project_roles__isnull=False).distinct(),
        widget=forms.CheckboxSelectMultiple,
    )
    category = filters.ChoiceFilter(
        label=_("Category"),
        field_name="role__category",
        lookup_expr="exact",
        choices=Role.Category.choices,
        empty_label=_("All categories"),
    )
    # Declared last: filters run in declaration order, so this sees the narrowed rows.
    unstaffed = filters.BooleanFilter(
        label=_("Only unstaffed"),
        widget=forms.CheckboxInput,
        method="filter_unstaffed",
    )

    class Meta:
        form = DkfdsFilterForm

    def filter_unstaffed(self, queryset, name, value):
        """Keeps the roles and projects that have at least one unstaffed required cell."""
        if not value:
            return queryset
        risks = queryset.filter(required=True, is_staffed=False)
        return queryset.filter(role__in=risks.values("role"), project__in=risks.values("project"))


class PersonFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    include_retired = filters.BooleanFilter(
        label=_("Include retired persons"),
        widget=forms.CheckboxInput,
        method="filter_include_retired",
    )

    class Meta:
        model = Person
        fields = ["q", "include_retired"]
        form = DkfdsFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so a first visit without a query string hides retired persons too.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_include_retired(self, queryset, name, value):
        """Retired persons only when asked for."""
        return queryset if value else queryset.active()


class KombitPersonFilter(PersonFilter):
    """KOMBIT staff also choose the municipality."""

    municipality = filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="municipality",
        to_field_name="code",
        queryset=Municipality.objects.all(),
        empty_label=_("All municipalities"),
    )

    class Meta(PersonFilter.Meta):
        fields = ["municipality", "q", "include_retired"]
