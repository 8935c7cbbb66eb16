"""The dashboard's "next 8 months" chart: KLIK tasks starting and due per month, by colour.

Two aggregate queries give the numbers; the geometry of the inline SVG is computed here so the
template only draws rectangles and text.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import DateField, Q
from django.db.models.functions import TruncMonth

from klik.models import Colour

MONTHS = 8
# Bottom to top: the worst colour sits on the axis where the eye starts.
STACK_ORDER = [Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.GREY]

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 16, 8, 56, 52  # margins around the plot area
BAR_WIDTH, BAR_GAP = 30, 6


def add_months(day, months):
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Segment:
    colour: str
    label: str
    count: int
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass
class Bar:
    kind: str  # "starting" or "due"
    segments: list = field(default_factory=list)
    x: float = 0
    top: float = 0
    centre: float = 0

    @property
    def total(self):
        return sum(s.count for s in self.segments)


@dataclass
class Month:
    first_day: datetime.date
    starting: Bar
    due: Bar
    centre: float = 0


def _counts(tasks, first, end):
    """({month: {colour: count}} starting, the same due) for tasks starting or due in
    [first, end), in one aggregate query over (start month, due month)."""
    in_window = Q(klik_start__gte=first, klik_start__lt=end) | Q(
        task__deadline__gte=first, task__deadline__lt=end
    )
    rows = (
        tasks.filter(in_window)
        .annotate(
            starting=TruncMonth("klik_start", output_field=DateField()),
            due=TruncMonth("task__deadline", output_field=DateField()),
        )
        .colour_counts_by("starting", "due")
    )
    sums = {"starting": {}, "due": {}}
    for row in rows:
        for kind, by_month in sums.items():
            month = _as_date(row[kind])
            if month is not None and first <= month < end:
                bucket = by_month.setdefault(month, dict.fromkeys(Colour.values, 0))
                for colour in Colour.values:
                    bucket[colour] += row[colour]
    return sums["starting"], sums["due"]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _bar(kind, row):
    row = row or {}
    return Bar(kind, [Segment(c.value, c.label, row.get(c.value, 0)) for c in STACK_ORDER])


def months_ahead(tasks, today):
    """The next 8 months from `today`'s month, each with a starting and a due bar (1 query).
    `tasks` must carry the colour annotation."""
    first, end = add_months(today, 0), add_months(today, MONTHS)
    starting, due = _counts(tasks, first, end)
    months = []
    for i in range(MONTHS):
        day = add_months(today, i)
        months.append(Month(day, _bar("starting", starting.get(day)), _bar("due", due.get(day))))
    _layout(months)
    return months


def _layout(months):
    """Place the bars: a group of two per month, heights scaled to the largest total."""
    plot_height = HEIGHT - TOP - BOTTOM
    group = (WIDTH - LEFT - RIGHT) / len(months)
    largest = max([b.total for m in months for b in (m.starting, m.due)] + [1])
    for i, month in enumerate(months):
        month.centre = LEFT + group * i + group / 2
        for j, bar in enumerate((month.starting, month.due)):
            bar.x = month.centre - BAR_WIDTH - BAR_GAP / 2 + j * (BAR_WIDTH + BAR_GAP)
            y = HEIGHT - BOTTOM
            for segment in bar.segments:
                segment.height = round(plot_height * segment.count / largest, 1)
                y -= segment.height
                segment.x, segment.y = bar.x, round(y, 1)
            bar.top = round(y, 1)
            bar.centre = round(bar.x + BAR_WIDTH / 2, 1)


def chart_size():
    """Width, height and the axis line's y of the SVG, for the template."""
    return {"width": WIDTH, "height": HEIGHT, "axis_y": HEIGHT - BOTTOM, "bar_width": BAR_WIDTH}
