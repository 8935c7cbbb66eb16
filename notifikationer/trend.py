"""The "Udviklingen" chart: red/yellow/green/grey per week for the last 6 months, from the
daily colour counts. One aggregate query; the SVG geometry is computed here so the template
only draws rectangles and text."""

import datetime
from dataclasses import dataclass, field

from klik.models import Colour

from .models import ColourCount

WEEKS = 26
# Bottom to top, as in the 8-month chart: the worst colour sits on the axis.
STACK_ORDER = [Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.GREY]
WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 40, 40


@dataclass
class Segment:
    colour: str
    label: str
    count: int
    y: float = 0
    height: float = 0


@dataclass
class Week:
    monday: datetime.date
    day: datetime.date | None = None  # the recorded day the week shows (its latest)
    segments: list = field(default_factory=list)
    x: float = 0
    centre: float = 0

    @property
    def total(self):
        return sum(s.count for s in self.segments)

    @property
    def iso_week(self):
        return self.monday.isocalendar()[1]


@dataclass
class Trend:
    weeks: list
    bar_width: float
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = HEIGHT - BOTTOM
    largest: int = 0
    stack_order: list = field(default_factory=lambda: STACK_ORDER)

    @property
    def has_data(self):
        return any(w.day for w in self.weeks)

    @property
    def month_labels(self):
        """(x, first day of month) under the first week of each month."""
        labels, seen = [], set()
        for week in self.weeks:
            key = (week.monday.year, week.monday.month)
            if key not in seen:
                seen.add(key)
                labels.append((week.centre, week.monday))
        return labels


def counts_for(user, project=None):
    """The colour counts `user` may see: their municipality's, the nation's for KOMBIT
    staff, none for others; only `project`'s when given."""
    counts = ColourCount.objects.all()
    if user.municipality_id:
        counts = counts.filter(municipality_id=user.municipality_id)
    elif not user.is_kombit_staff:
        return counts.none()
    if project is not None:
        counts = counts.filter(project=project)
    return counts


def weekly(counts, today: datetime.date, weeks: int = WEEKS) -> Trend:
    """The last `weeks` weeks up to `today`'s, each showing its latest recorded day."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [this_monday - datetime.timedelta(weeks=w) for w in reversed(range(weeks))]
    by_day = {row["day"]: row for row in counts.totals_by_day(mondays[0]) if row["day"] <= today}
    result = []
    for monday in mondays:
        days = [d for d in by_day if monday <= d < monday + datetime.timedelta(days=7)]
        day = max(days) if days else None
        row = by_day.get(day, {})
        segments = [Segment(c.value, c.label, row.get(c.value) or 0) for c in STACK_ORDER]
        result.append(Week(monday, day, segments))
    return _layout(result)


def _layout(weeks):
    group = (WIDTH - LEFT - RIGHT) / len(weeks)
    trend = Trend(weeks, bar_width=round(group * 0.7, 1))
    trend.largest = max([w.total for w in weeks] + [1])
    plot = HEIGHT - TOP - BOTTOM
    for i, week in enumerate(weeks):
        week.x = round(LEFT + group * i + (group - trend.bar_width) / 2, 1)
        week.centre = round(LEFT + group * i + group / 2, 1)
        y = HEIGHT - BOTTOM
        for segment in week.segments:
            segment.height = round(plot * segment.count / trend.largest, 1)
            y -= segment.height
            segment.y = round(y, 1)
    return trend


def trend_for(user, today, project=None) -> Trend:
    """The chart a page shows `user`: their municipality's (or the nation's), per week."""
    return weekly(counts_for(user, project), today)
