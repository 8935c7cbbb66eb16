"""Filters of the implementation overview: which projects, and which KLIK tasks they count."""

import django_filters
from django.utils.translation import gettext_lazy as _

from klik.models import Colour, MunicipalityTask
from portfolio.filtering import MunicipalityFilter
from portfolio.models import Project, SupportSystem
from portfolio.widgets import DkfdsFilterForm


class OverviewFilter(django_filters.FilterSet):
    """`/overblik/`: narrows the projects by phase and support system, and the counted tasks by
    support system and municipality. `status` keeps only projects with tasks of those colours;
    the view applies it, because it needs the counts."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Colour.choices, method="filter_nothing"
    )
    support_system = django_filters.ModelChoiceFilter(
        label=_("Support system"),
        queryset=SupportSystem.objects.all(),
        to_field_name="slug",
        method="filter_support_system",
        empty_label=_("All support systems"),
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"),
        field_name="phase",
        lookup_expr="exact",
        choices=Project.Phase.choices,
        empty_label=_("All phases"),
    )
    municipality = MunicipalityFilter(method="filter_nothing")

    class Meta:
        model = Project
        fields = ["status", "support_system", "phase", "municipality"]
        form = DkfdsFilterForm

    def filter_nothing(self, queryset, name, value):
        """The filter acts on the counted tasks (see `tasks()`), not on the projects."""
        return queryset

    def filter_support_system(self, queryset, name, value):
        return queryset.using_support_system(value)

    def value(self, name):
        """The valid value of filter `name`, or None (empty list for `status`)."""
        default = [] if name == "status" else None
        if not self.is_bound:
            return default
        self.is_valid()
        return self.form.cleaned_data.get(name) or default

    def tasks(self, user, today):
        """The infrastructure tasks the overview counts, with their colour on `today`."""
        tasks = MunicipalityTask.objects.visible_to(user).with_colour(today).for_infrastructure()
        if municipality := self.value("municipality"):
            tasks = tasks.filter(municipality=municipality)
        if support_system := self.value("support_system"):
            tasks = tasks.filter(task__support_system=support_system)
        return tasks
