"""The KLIK task table: columns, sorting (Status by severity) and bounded pagination."""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.template.loader import get_template
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portfolio.models import Interface

from .models import Colour, MunicipalityTask, State, Task

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BoundedPaginator(Paginator):
    """A paginator no URL can overload: per_page is capped, page numbers land on a real page."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        per_page = min(per_page, MAX_PER_PAGE) if per_page >= 1 else DEFAULT_PER_PAGE
        super().__init__(object_list, per_page, *args, **kwargs)

    def validate_number(self, number):
        """The page asked for, moved into 1..num_pages (past the end means the last page)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), self.num_pages)


def _sorted(*fields):
    """Sort by `fields`, then by id, so paging and export see one stable order."""
    return (*fields, "pk")


class TaskTable(tables.Table):
    municipality = tables.Column(order_by=_sorted("municipality__name"))
    project = tables.Column(accessor="task__project", order_by=_sorted("task__project__short_name"))
    title = tables.Column(
        accessor="task__title",
        verbose_name=_("Task"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=_sorted("task__title"),
    )
    support_system = tables.Column(
        accessor="task__support_system", order_by=_sorted("task__support_system__name")
    )
    interfaces = tables.ManyToManyColumn(
        accessor="task__interfaces",
        transform=lambda interface: interface.code,
        separator=" ",
        orderable=True,
    )
    starts_on = tables.DateColumn(
        accessor="task__effective_start",
        verbose_name=capfirst(Task._meta.get_field("starts_on").verbose_name),
        order_by=_sorted("klik_start"),
    )
    deadline = tables.DateColumn(accessor="task__deadline", order_by=_sorted("task__deadline"))
    status = tables.Column(
        accessor="colour", verbose_name=_("Status"), order_by=_sorted("colour_rank")
    )
    state = tables.Column()
    responsible = tables.Column(order_by=_sorted("responsible__name"))
    executor = tables.Column(order_by=_sorted("executor__name"))

    class Meta:
        model = MunicipalityTask
        fields = (
            "municipality",
            "project",
            "title",
            "support_system",
            "interfaces",
            "starts_on",
            "deadline",
            "status",
            "state",
            "responsible",
            "executor",
        )
        sequence = fields
        template_name = "includes/table.html"
        attrs = {"class": "table table--compact klik-table"}
        row_attrs = {"data-colour": lambda record: record.colour}
        per_page = DEFAULT_PER_PAGE
        empty_text = _("No tasks match the filters.")

    def get_column_class_names(self, classes_set, bound_column):
        """Each cell carries its column's name, so the stylesheet can size columns."""
        return {*super().get_column_class_names(classes_set, bound_column), bound_column.name}

    def render_status(self, value):
        return get_template("includes/colour_chip.html").render(
            {"colour": value, "label": Colour(value).label}
        )

    def value_status(self, value):
        return Colour(value).label

    def order_state(self, queryset, is_descending):
        """Workflow order: not started, in progress, cannot be done in time, solved."""
        rank = Case(
            *[When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)],
            output_field=IntegerField(),
        )
        sign = "-" if is_descending else ""
        return queryset.alias(state_rank=rank).order_by(f"{sign}state_rank", f"{sign}pk"), True

    def order_interfaces(self, queryset, is_descending):
        """By the lowest interface code of the task; tasks without interfaces sort together."""
        first = Interface.objects.filter(tasks=OuterRef("task")).order_by("code").values("code")
        sign = "-" if is_descending else ""
        queryset = queryset.alias(first_interface=Subquery(first[:1]))
        return queryset.order_by(f"{sign}first_interface", f"{sign}pk"), True


STATE_ORDER = [State.NOT_STARTED, State.IN_PROGRESS, State.BLOCKED, State.DONE]
