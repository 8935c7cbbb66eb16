"""The weekly digests' content: reads only, scoped to the reader like the dashboard."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from klik.models import Colour, MunicipalityTask, State
from portfolio.models import Event
from rollegalleri.models import ProjectRole

from .models import ColourCount

SECTION_ROWS = 20
DEADLINE_DAYS = 14
EVENT_DAYS = 30
EVENT_ROWS = 5
WORST_MUNICIPALITIES = 20


@dataclass
class Section:
    """One list in a digest: up to SECTION_ROWS rows and how many there are in all."""

    rows: list = field(default_factory=list)
    count: int = 0

    @classmethod
    def of(cls, queryset, limit=SECTION_ROWS):
        rows = list(queryset[: limit + 1])
        count = len(rows) if len(rows) <= limit else queryset.count()
        return cls(rows[:limit], count)

    @property
    def more(self):
        return self.count - len(self.rows)


@dataclass
class Digest:
    since: date
    today: date
    published: Section
    turned: Section
    escalate: Section
    deadlines: Section
    unstaffed: Section
    events: Section

    @property
    def is_empty(self):
        sections = (self.published, self.turned, self.escalate, self.deadlines)
        return not any(s.count for s in (*sections, self.unstaffed, self.events))


def municipal_digest(user, today: date, since: date, now: datetime | None = None) -> Digest:
    """What the programme leader `user` reads this week, for their own municipality."""
    now = now or timezone.now()
    tasks = MunicipalityTask.objects.visible_to(user)
    coloured = tasks.with_colour(today)
    return Digest(
        since=since,
        today=today,
        published=Section.of(
            tasks.filter(task__published_on__gt=since, task__published_on__lte=today)
            .for_table()
            .order_by("task__project__short_name", "task__deadline", "pk")
        ),
        turned=turned_red_or_yellow(tasks, today, since, now),
        escalate=Section.of(
            coloured.to_escalate(now - timedelta(days=settings.KLIK_ESCALATION_DAYS)).for_table()
        ),
        deadlines=Section.of(
            coloured.exclude(state=State.DONE)
            .filter(task__deadline__gte=today, task__deadline__lte=today + timedelta(DEADLINE_DAYS))
            .for_table()
            .order_by("task__deadline", "pk")
        ),
        unstaffed=Section.of(ProjectRole.objects.unstaffed_for(user.municipality).for_matrix()),
        events=Section.of(
            Event.objects.for_list()
            .upcoming(now)
            .filter(starts_at__lte=now + timedelta(days=EVENT_DAYS)),
            EVENT_ROWS,
        ),
    )


def turned_red_or_yellow(tasks, today, since, now):
    """Tasks red or yellow today that were not so on `since` by their dates, or that someone
    changed since then (the history keeps no colours, so an edit counts as a turn)."""
    now_rows = dict(
        tasks.with_colour(today)
        .filter(colour__in=[Colour.RED, Colour.YELLOW])
        .values_list("pk", "colour")
    )
    then = dict(tasks.with_colour(since).filter(pk__in=list(now_rows)).values_list("pk", "colour"))
    edited_since = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    edited = set(
        tasks.filter(pk__in=list(now_rows), updated_at__gt=edited_since).values_list(
            "pk", flat=True
        )
    )
    turned = [pk for pk, colour in now_rows.items() if then.get(pk) != colour or pk in edited]
    return Section.of(
        tasks.with_colour(today)
        .filter(pk__in=turned)
        .for_table()
        .order_by("colour_rank", "task__deadline", "pk")
    )


@dataclass
class NationalDigest:
    today: date
    counts: list  # [(Colour, now, change since a week ago)]
    worst: list  # [{"code", "name", "red", "yellow"}]
    municipality_count: int

    @property
    def is_empty(self):
        return not any(now for _c, now, _d in self.counts)


def national_digest(user, today: date) -> NationalDigest:
    """KOMBIT's week: counts per colour and their change, and the 20 worst municipalities."""
    coloured = MunicipalityTask.objects.visible_to(user).with_colour(today)
    now_counts = coloured.colour_counts()
    week_ago = today - timedelta(days=7)
    recorded = ColourCount.objects.filter(day=week_ago).totals_by_day(week_ago).first()
    then_counts = recorded or (
        MunicipalityTask.objects.visible_to(user)
        .filter(task__published_on__lte=week_ago)
        .with_colour(week_ago)
        .colour_counts()
    )
    worst = (
        coloured.filter(colour__in=[Colour.RED, Colour.YELLOW])
        .colour_counts_by("municipality__code", "municipality__name")
        .order_by()
    )
    ranked = sorted(
        (
            {
                "code": r["municipality__code"],
                "name": r["municipality__name"],
                "red": r[Colour.RED],
                "yellow": r[Colour.YELLOW],
            }
            for r in worst
        ),
        key=lambda r: (-r["red"], -r["yellow"], r["name"]),
    )
    return NationalDigest(
        today=today,
        counts=[
            (Colour(c), now_counts[c], now_counts[c] - (then_counts.get(c) or 0))
            for c in Colour.values
        ],
        worst=ranked[:WORST_MUNICIPALITIES],
        municipality_count=len(ranked),
    )
