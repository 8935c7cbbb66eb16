"""The KLIK task list's filters: every query parameter of the /klik/ URL contract."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.models import Interface, Municipality, Project, SupportSystem
from portfolio.widgets import dkfds_widgets

from .models import Colour, Origin, State

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def municipalities_for(request):
    """Every municipality for KOMBIT staff; none for anyone else."""
    if request is not None and request.user.is_kombit_staff:
        return Municipality.objects.all()
    return Municipality.objects.none()


class KlikFilterSet(django_filters.FilterSet):
    """Filters a queryset annotated by MunicipalityTask.objects.with_colour()."""

    status = django_filters.MultipleChoiceFilter(
        field_name="colour",
        lookup_expr="exact",
        choices=Colour.choices,
        distinct=False,
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
    )
    project = django_filters.ModelMultipleChoiceFilter(
        field_name="task__project__slug",
        lookup_expr="exact",
        to_field_name="slug",
        queryset=Project.objects.all(),
        distinct=False,
        label=_("Project"),
        widget=forms.CheckboxSelectMultiple,
    )
    support_system = django_filters.ModelChoiceFilter(
        field_name="task__support_system",
        lookup_expr="exact",
        to_field_name="slug",
        queryset=SupportSystem.objects.all(),
        label=_("Support system"),
        empty_label=_("All support systems"),
    )
    interface = django_filters.ModelChoiceFilter(
        field_name="task__interfaces",
        lookup_expr="exact",
        to_field_name="code",
        queryset=Interface.objects.all(),
        distinct=False,
        label=_("Interface"),
        empty_label=_("All interfaces"),
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipality",
        lookup_expr="exact",
        to_field_name="code",
        queryset=municipalities_for,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    state = django_filters.ChoiceFilter(
        field_name="state",
        lookup_expr="exact",
        choices=State.choices,
        label=_("State"),
        empty_label=_("All states"),
    )
    origin = django_filters.ChoiceFilter(
        method="filter_origin",
        choices=Origin.choices,
        label=_("Origin"),
        empty_label=_("KOMBIT's and local tasks"),
    )
    deadline_after = django_filters.DateFilter(
        field_name="task__deadline",
        lookup_expr="gte",
        label=_("Deadline from"),
        widget=DATE_INPUT,
    )
    deadline_before = django_filters.DateFilter(
        field_name="task__deadline",
        lookup_expr="lte",
        label=_("Deadline to"),
        widget=DATE_INPUT,
    )
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=200,
        help_text=_("Title, description, project, responsible or executor."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Municipal users see only their own municipality, so the parameter means nothing to them.
        if self.request is None or not self.request.user.is_kombit_staff:
            del self.filters["municipality"]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            dkfds_widgets(super().form)
        return self._form

    def filter_origin(self, queryset, name, value):
        """KOMBIT's tasks or the municipality's own local tasks."""
        return queryset.of_origin(value)

    def search(self, queryset, name, value):
        """Rows whose title, description, project or people contain `value`."""
        terms = Q()
        for path in (
            "task__title",
            "task__description",
            "task__project__short_name",
            "task__project__name",
            "responsible__name",
            "executor__name",
        ):
            terms |= Q(**{f"{path}__icontains": value})
        return queryset.filter(terms)

    def qs_without(self, *names):
        """The queryset filtered by every valid filter except `names` (for facet counts)."""
        if self.is_bound and any(
            field not in names for field in self.form.errors if field in self.filters
        ):
            return self.queryset.none()
        queryset = self.queryset.all()
        cleaned = self.form.cleaned_data if self.is_bound else {}
        for name, value in cleaned.items():
            if name not in names and name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
