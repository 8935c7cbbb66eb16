"""The KLIK task table: columns, sorting (Status by severity) and bounded pagination."""

import django_tables2 as tables
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portfolio.models import Interface
from portfolio.paging import DEFAULT_PER_PAGE

from .models import Colour, MunicipalityTask, Origin, State, Task


def _sorted(*fields):
    """Sort by `fields`, then by id, so paging and export see one stable order."""
    return (*fields, "pk")


class DateColumn(tables.Column):
    """A date as django-tables2's DateColumn shows it (SHORT_DATE_FORMAT), formatted in Python:
    the library's DateColumn compiles a template for every cell it renders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each table gets its own copy of its columns, so this lives for one page. Many rows
        # share a date (one task, many municipalities); each is formatted once.
        self.shown = {}

    def render(self, value):
        if value not in self.shown:
            self.shown[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return self.shown[value]


# The chip key of a solved task; no colour has this value.
SOLVED = "solved"

# A pk no row has, reversed once per table and replaced by each row's own pk.
_PK_PLACEHOLDER = 2**62


class TaskTable(tables.Table):
    # A checkbox per row for bulk assignment (klik/bulk.py); the list shows it to the users
    # who may change the municipality's tasks. It belongs to the page's form#bulk-form.
    select = tables.Column(
        accessor="pk", verbose_name=_("Select"), orderable=False, empty_values=()
    )
    municipality = tables.Column(order_by=_sorted("municipality__name"))
    project = tables.Column(accessor="task__project", order_by=_sorted("task__project__short_name"))
    title = tables.Column(
        accessor="task__title", verbose_name=_("Task"), order_by=_sorted("task__title")
    )
    # Support system, interfaces and start date fold under the title as its second line, so
    # the table fits a laptop; their columns stay (hidden) for ?sort= and the title's header.
    support_system = tables.Column(
        accessor="task__support_system",
        order_by=_sorted("task__support_system__name"),
        visible=False,
    )
    interfaces = tables.ManyToManyColumn(
        accessor="task__interfaces",
        transform=lambda interface: interface.code,
        separator=" ",
        orderable=True,
        visible=False,
    )
    starts_on = DateColumn(
        accessor="task__effective_start",
        verbose_name=capfirst(Task._meta.get_field("starts_on").verbose_name),
        order_by=_sorted("klik_start"),
        visible=False,
    )
    deadline = DateColumn(accessor="task__deadline", order_by=_sorted("task__deadline"))
    status = tables.Column(
        accessor="colour", verbose_name=_("Status"), order_by=_sorted("colour_rank")
    )
    state = tables.Column()
    responsible = tables.Column(order_by=_sorted("responsible__name"))
    executor = tables.Column(order_by=_sorted("executor__name"))

    class Meta:
        model = MunicipalityTask
        fields = (
            "select",
            "status",
            "municipality",
            "title",
            "project",
            "deadline",
            "state",
            "responsible",
            "executor",
            "support_system",
            "interfaces",
            "starts_on",
        )
        sequence = fields
        template_name = "klik/includes/task_table.html"
        attrs = {"class": "table table--compact klik-table"}
        row_attrs = {
            "data-colour": lambda record: record.colour,
            "data-task": lambda record: record.pk,
        }
        per_page = DEFAULT_PER_PAGE
        empty_text = _("No tasks match the filters.")

    def get_column_class_names(self, classes_set, bound_column):
        """Each cell carries its column's name, so the stylesheet can size columns."""
        return {*super().get_column_class_names(classes_set, bound_column), bound_column.name}

    FOLDED = ("support_system", "interfaces", "starts_on")

    def render_select(self, record):
        """The row's checkbox; its value carries the version the list shows, so a bulk save
        refuses a task someone changed since."""
        return format_html(
            '<div class="form-group-checkbox"><input type="checkbox" class="form-checkbox" '
            'name="bulk-tasks" value="{pk}:{version}" id="select-{pk}" form="bulk-form">'
            '<label class="form-label" for="select-{pk}"><span class="sr-only">{label}</span>'
            "</label></div>",
            pk=record.pk,
            version=record.version,
            label=self._select_label % {"title": record.task.title},
        )

    @cached_property
    def _select_label(self):
        return str(_("Select %(title)s"))

    @property
    def folded_columns(self):
        """The hidden columns shown under the title; its header sorts by them too."""
        return [self.columns[name] for name in self.FOLDED]

    def render_title(self, record, value):
        """The title linking to the task page (its get_absolute_url, reversed once per table),
        over a second line with the support system, the interfaces and the start date; a
        municipality's own task carries the "Lokal opgave" tag."""
        task = record.task
        folded = [
            task.support_system.name if task.support_system else "",
            " ".join(interface.code for interface in task.interfaces.all()),
            f"{self._start_label} {self._start_column.render(task.effective_start)}",
        ]
        link = format_html('<a href="{}">{}</a>', self._detail_url(record.pk), value)
        if task.municipality_id:
            link = format_html('{} <span class="klik-local">{}</span>', link, self._local_label)
        return format_html(
            '{}<span class="klik-folded">{}</span>',
            link,
            format_html_join(" · ", "<span>{}</span>", ((part,) for part in folded if part)),
        )

    def value_title(self, record, value):
        return value

    @cached_property
    def _local_label(self):
        return str(Origin.LOCAL.label)

    @cached_property
    def _start_column(self):
        return self.columns["starts_on"].column

    @cached_property
    def _start_label(self):
        return capfirst(Task._meta.get_field("starts_on").verbose_name)

    @cached_property
    def _detail_url(self):
        """pk -> the task page's URL, from one reverse() instead of one per row."""
        before, after = reverse("klik:detail", kwargs={"pk": _PK_PLACEHOLDER}).split(
            str(_PK_PLACEHOLDER)
        )
        return lambda pk: f"{before}{pk}{after}"

    def render_status(self, value, record):
        """The colour chip ("Løst" for a solved task, still green); each chip is rendered once
        per table, not once per row."""
        chip = self._chips[SOLVED if record.state == State.DONE else value]
        return chip + self._escalated_tag if record.mark else chip

    @cached_property
    def _escalated_tag(self):
        return format_html(
            ' <span class="klik-tag klik-escalated" data-escalated>{}</span>', _("Escalated")
        )

    @cached_property
    def _chips(self):
        chip = get_template("includes/colour_chip.html")
        chips = {c.value: chip.render({"colour": c.value, "label": c.label}) for c in Colour}
        chips[SOLVED] = chip.render(
            {"colour": Colour.GREEN.value, "label": State.DONE.label, "solved": True}
        )
        return chips

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
