"""Filters of the staffing matrix and the person list."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.filtering import MunicipalityFilter
from portfolio.models import Project
from portfolio.widgets import DkfdsFilterForm

from .models import Person, Role


class StaffingFilter(filters.FilterSet):
    """Filters project roles annotated with `is_staffed` (see staffing.base_queryset)."""

    # The view reads it to choose whose matrix to build (KOMBIT staff only; 404 for another).
    municipality = MunicipalityFilter(
        method="filter_nothing", empty_label=_("All municipalities (national summary)")
    )
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

    def filter_nothing(self, queryset, name, value):
        """The municipality shapes the rows before filtering (see the view), not here."""
        return queryset

    def filter_unstaffed(self, queryset, name, value):
        """Keeps the roles and projects that have at least one unstaffed required cell."""
        if not value:
            return queryset
        risks = queryset.filter(required=True, is_staffed=False)
        return queryset.filter(role__in=risks.values("role"), project__in=risks.values("project"))


class PersonFilter(filters.FilterSet):
    # KOMBIT staff choose any municipality; a municipal user may name only their own.
    municipality = MunicipalityFilter(field_name="municipality")
    q = filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    include_retired = filters.BooleanFilter(
        label=_("Include retired persons"),
        widget=forms.CheckboxInput,
        method="filter_include_retired",
    )

    class Meta:
        model = Person
        fields = ["municipality", "q", "include_retired"]
        form = DkfdsFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so a first visit without a query string hides retired persons too.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_include_retired(self, queryset, name, value):
        """Retired persons only when asked for."""
        return queryset if value else queryset.active()
