"""The KLIK task list's filters: every query parameter of the /klik/ URL contract."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filtering import MunicipalitiesFilter, refuse_foreign_ids
from portfolio.models import Interface, Project, SupportSystem
from portfolio.widgets import DkfdsFilterForm
from rollegalleri.models import Person

from .models import Colour, Origin, State

# The `state` value meaning every state but solved ("alle åbne").
OPEN = "open"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def persons_for(request):
    """The persons a user may filter by: their municipality's (everyone's for KOMBIT staff)."""
    if request is None:
        return Person.objects.none()
    return Person.objects.visible_to(request.user).order_by("name", "pk")


class TickFilter(django_filters.Filter):
    """A checkbox: ticked (`on`, `1`, `true`) applies the filter's method, unticked does not."""

    field_class = forms.BooleanField


PERSON_PARAMETERS = ("responsible", "executor")


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
    # Repeatable for KOMBIT staff (side by side); a municipal user may name only their own
    # municipality, and the views answer 404 for another.
    municipality = MunicipalitiesFilter(field_name="municipality")
    state = django_filters.MultipleChoiceFilter(
        choices=[(OPEN, _("All open")), *State.choices],
        method="filter_state",
        distinct=False,
        label=_("State"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“All open” is every state but solved."),
    )
    responsible = django_filters.ModelChoiceFilter(
        field_name="responsible",
        lookup_expr="exact",
        queryset=persons_for,
        label=_("Responsible"),
        empty_label=_("Anyone"),
    )
    executor = django_filters.ModelChoiceFilter(
        field_name="executor",
        lookup_expr="exact",
        queryset=persons_for,
        label=_("Executor"),
        empty_label=_("Anyone"),
    )
    unassigned = TickFilter(
        method="filter_unassigned",
        label=_("Missing responsible or executor"),
        widget=forms.CheckboxInput,
    )
    mine = TickFilter(
        method="filter_mine",
        label=_("My tasks (I am responsible or executor)"),
        widget=forms.CheckboxInput,
    )
    escalated = TickFilter(
        method="filter_escalated",
        label=_("Marked as escalated"),
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

    class Meta:
        form = DkfdsFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_kombit_staff:
            # Every municipality's persons would make a select thousands long: staff type an id.
            for name in PERSON_PARAMETERS:
                self.filters[name].extra["widget"] = forms.NumberInput(attrs={"min": 1})
        elif user is not None and self.data is not None:
            # Another municipality's person is a 404, as that person's page would be.
            refuse_foreign_ids(
                self.data, PERSON_PARAMETERS, Person.objects.all(), user.municipality_id
            )

    def filter_unassigned(self, queryset, name, value):
        """Rows with no responsible or no executor (all rows when not ticked)."""
        if not value:
            return queryset
        return queryset.filter(Q(responsible__isnull=True) | Q(executor__isnull=True))

    def filter_escalated(self, queryset, name, value):
        """Rows a programme leader has marked as escalated."""
        if not value:
            return queryset
        return queryset.filter(escalation__isnull=False)

    def filter_mine(self, queryset, name, value):
        """Rows where the user's own person record is responsible or executor."""
        if not value:
            return queryset
        mine = Person.objects.of_user(self.request.user).values("pk")
        return queryset.filter(Q(responsible__in=mine) | Q(executor__in=mine))

    def filter_state(self, queryset, name, value):
        """Rows in any of the chosen states; `open` stands for every state but solved."""
        states = set(value)
        if OPEN in states:
            states |= set(State.values) - {State.DONE}
        return queryset.filter(state__in=states - {OPEN})

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
