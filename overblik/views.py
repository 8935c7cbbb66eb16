import re
from datetime import timedelta
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from klik.models import Colour, MunicipalityTask, SavedFilter, Task
from notifikationer.trend import trend_for
from portfolio.filtering import FilterPolicyMixin, is_usable, refuse_other_municipality
from portfolio.models import (
    INTERFACE_CODE_RE,
    Event,
    Interface,
    Project,
    SupportSystem,
)
from rollegalleri.models import ProjectRole, RoleAssignment

from . import charts
from . import national as national_data
from .filters import OverviewFilter

ESCALATION_ROWS = 10
DASHBOARD_EVENTS = 3


def published_tasks(today):
    """How many KLIK tasks KOMBIT has published for the project by `today`: counted, not typed
    (the deck's sentence about them stays as the project's dated KLIK note). A subquery, so
    the count comes with the projects' own query."""
    counts = (
        # KOMBIT's tasks only: a municipality's local tasks are not published (issue 15).
        Task.objects.kombit()
        .filter(project=OuterRef("pk"), published_on__lte=today)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def mentions_without_usage(interfaces):
    """Sets `mentioned` on each interface: the projects whose KLIK tasks name it but that have
    no usage of it registered, so a page says so instead of calling the interface unused. One
    query for all of them; the interfaces' usages must be prefetched."""
    interfaces = list(interfaces)
    named = (
        Task.interfaces.through.objects.filter(
            interface_id__in=[i.pk for i in interfaces],
            task__project__isnull=False,
            task__municipality__isnull=True,  # KOMBIT's tasks, never a municipality's local one
        )
        .values_list("interface_id", "task__project_id", "task__project__short_name")
        .distinct()
        .order_by("task__project__short_name")
    )
    by_interface = {}
    for interface_id, project_id, short_name in named:
        by_interface.setdefault(interface_id, {})[project_id] = short_name
    for interface in interfaces:
        used = {usage.project_id for usage in interface.usages.all()}
        names = by_interface.get(interface.pk, {})
        interface.mentioned = [name for pk, name in names.items() if pk not in used]
    return interfaces


def colour_cells(row, colours=Colour.values):
    """[(Colour, count)] for the colours in `colours` with a count in an aggregate row."""
    return [(Colour(c), row[c]) for c in colours if row.get(c)]


def colour_totals(rows, colours=Colour.values):
    """Sums aggregate rows into [(Colour, count)] for every colour in `colours`."""
    return [(Colour(c), sum(r[c] for r in rows)) for c in colours]


class DashboardView(TemplateView):
    """The user's front page: their municipality's KLIK tasks (or the nation's for KOMBIT
    staff) by colour, the next 8 months, stalled tasks, unstaffed roles and coming events."""

    template_name = "overblik/dashboard.html"

    def get(self, request, *args, **kwargs):
        # The dashboard has no municipality filter, but naming another one is still a 404.
        refuse_other_municipality(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today, now, user = timezone.localdate(), timezone.now(), self.request.user
        tasks = MunicipalityTask.objects.visible_to(user).with_colour(today)
        stalled_since = now - timedelta(days=settings.KLIK_ESCALATION_DAYS)
        national = self.national_form() if user.is_kombit_staff else None
        chosen = list(national.value("municipality")) if national else []
        # Side by side in the order they were asked for.
        asked = self.request.GET.getlist("municipality")
        chosen.sort(key=lambda m: asked.index(m.code) if m.code in asked else len(asked))
        if chosen:
            # KOMBIT staff comparing municipalities: the whole page is about those.
            tasks = tasks.filter(municipality__in=chosen)
        # One pass over the rows gives the counts, the escalation count and the matrix.
        tallies = list(tasks.colour_tallies(stalled_since))
        counts = {c: sum(row[c] for row in tallies) for c in Colour.values}
        escalate = tasks.to_escalate(stalled_since).for_table()
        municipality = user.municipality
        context = super().get_context_data(
            today=today,
            colours=[(Colour(c), counts[c]) for c in Colour.values],
            months=charts.months_ahead(tasks, today),
            trend=trend_for(user, today),
            chart=charts.chart_size(),
            stack_order=charts.STACK_ORDER,
            escalate=list(escalate[:ESCALATION_ROWS]),
            escalate_count=sum(row["stalled"] for row in tallies),
            escalation_days=settings.KLIK_ESCALATION_DAYS,
            red_yellow=[Colour.RED.value, Colour.YELLOW.value],
            unstaffed_count=(
                ProjectRole.objects.unstaffed_for(municipality).count() if municipality else None
            ),
            events=list(Event.objects.for_list().upcoming(now)[:DASHBOARD_EVENTS]),
            # Programme leaders mark stalled tasks as escalated from the list ("Til eskalering").
            can_escalate=bool(municipality) and is_programme_leader(user),
            saved_filters=list(
                SavedFilter.objects.visible_to(user).select_related("owner__person")
            ),
            chosen=chosen,
            chosen_codes=[m.code for m in chosen],
            chosen_names=", ".join(m.name for m in chosen),
            **kwargs,
        )
        if national is not None:
            context.update(self.national_context(national, tasks, tallies, chosen, stalled_since))
        return context

    def national_form(self):
        self.municipalities, self.projects = national_data.municipalities_and_projects()
        regions = sorted({m.region for m in self.municipalities if m.region})
        return national_data.NationalForm(
            self.request.GET or None, regions=regions, projects=self.projects
        )

    def national_context(self, form, tasks, tallies, chosen, stalled_since):
        """KOMBIT's table of every municipality and, for chosen ones, the comparison."""
        # A bad value lists nothing until it is corrected, as on every list page.
        shown = [] if form.is_bound and not form.is_valid() else chosen or self.municipalities
        table = national_data.national_table(
            tallies,
            shown,
            self.projects,
            sort=form.value("sort"),
            region=form.value("region"),
        )
        comparison = None
        if len(chosen) > 1:
            escalations = national_data.escalations_by_municipality(tasks, chosen, stalled_since)
            comparison = national_data.compared(tallies, chosen, self.projects, escalations)
        return {
            "national_form": form,
            "matrix": table,
            "matrix_headers": self.sort_headers(form, table),
            "comparison": comparison,
        }

    def sort_headers(self, form, table):
        """[(label, url, current)] for the table's sortable columns; counts sort worst first."""
        keep = [(k, v) for k, v in self.request.GET.lists() if k != "sort" for v in v if v]
        current = table["sort"]
        columns = [
            (national_data.SORT_NAME, _("Municipality")),
            (national_data.SORT_RED, _("Red in all")),
            (national_data.SORT_YELLOW, _("Yellow in all")),
            *table["columns"],
        ]
        return [
            (label, "?" + urlencode([*keep, ("sort", key)]), key == current)
            for key, label in columns
        ]


def is_programme_leader(user):
    return any(group.name == settings.PROGRAMME_LEADER_GROUP for group in user.groups.all())


class OverviewView(FilterPolicyMixin, FilterView):
    """`/overblik/`: a row per project with its pilot, rollout, infrastructure and the colour
    counts of its infrastructure tasks, the deck's "Overblik på tværs af projekterne"."""

    filterset_class = OverviewFilter
    template_name = "overblik/overview.html"

    def get_queryset(self):
        return Project.objects.for_overview().annotate(
            published_tasks=published_tasks(timezone.localdate())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        f = self.filterset
        statuses = f.value("status")
        colours = [c for c in Colour.values if not statuses or c in statuses]
        counts = []
        if is_usable(f):  # a bad value lists nothing (object_list is empty), so count nothing
            counts = f.tasks(self.request.user, timezone.localdate()).colour_counts_by(
                "task__project", "task__support_system__slug", "task__support_system__name"
            )
        by_project = {}
        for row in counts:
            if any(row[c] for c in colours):
                by_project.setdefault(row["task__project"], []).append(row)
        projects = self.object_list
        if statuses:
            projects = projects.filter(pk__in=list(by_project))
        support_system = f.value("support_system")
        context.update(
            rows=[
                project_row(p, by_project.get(p.pk, []), colours, support_system) for p in projects
            ],
            colours=colours,
            statuses=statuses,
            support_systems=SupportSystem.objects.all(),
            chosen_municipality=f.value("municipality"),
            chosen_support_system=support_system,
            chosen_phase=f.value("phase"),
            is_filtered=any(f.value(name) for name in f.filters),
        )
        return context


def project_row(project, count_rows, colours, support_system=None):
    """One overview row: the project and a block per support system it touches, each with the
    interfaces used and the colour counts of the tasks concerning that support system."""
    blocks = {}
    for usage in project.usages.all():
        system = usage.interface.support_system
        if support_system is None or system == support_system:
            block = blocks.setdefault(
                system.slug, {"name": system.name, "usages": [], "counts": []}
            )
            block["usages"].append(usage)
    for row in count_rows:
        slug = row["task__support_system__slug"]
        block = blocks.setdefault(
            slug, {"name": row["task__support_system__name"], "usages": [], "counts": []}
        )
        block["counts"] = colour_cells(row, colours)
    return {
        "project": project,
        "blocks": [{"slug": slug, **block} for slug, block in sorted(blocks.items())],
        "has_tasks": bool(count_rows),
    }


def task_rows(tasks):
    """KLIK tasks as rows with their colour counts (one aggregate query). For a single
    municipality each count is 1, and `mt_id` is that municipality's copy."""
    rows = (
        tasks.colour_counts_by(
            "task_id",
            "task__title",
            "task__deadline",
            "task__project__slug",
            "task__project__short_name",
        )
        .annotate(mt_id=Max("pk"))
        .order_by("task__deadline", "task__title", "task_id")
    )
    return [{**row, "colours": colour_cells(row)} for row in rows]


class SupportSystemView(DetailView):
    """`/overblik/<slug>/`: the deck's "Eksempel: STS Adgangsstyring" for any support system."""

    template_name = "overblik/support_system_detail.html"
    context_object_name = "support_system"

    def get_queryset(self):
        return SupportSystem.objects.for_page()

    def get_context_data(self, **kwargs):
        user = self.request.user
        tasks = (
            MunicipalityTask.objects.visible_to(user)
            .with_colour(timezone.localdate())
            .filter(task__support_system=self.object)
        )
        return super().get_context_data(
            interfaces=mentions_without_usage(self.object.interfaces.all()),
            tasks=task_rows(tasks),
            single_municipality=bool(user.municipality_id),
            **kwargs,
        )


class ProjectView(DetailView):
    """`/projekter/<slug>/`: one project's facts, interfaces, KLIK tasks, roles and events."""

    template_name = "overblik/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return Project.objects.for_overview().annotate(
            published_tasks=published_tasks(timezone.localdate())
        )

    def get_context_data(self, **kwargs):
        user, project = self.request.user, self.object
        tasks = (
            MunicipalityTask.objects.visible_to(user)
            .with_colour(timezone.localdate())
            .filter(task__project=project)
        )
        rows = task_rows(tasks)
        # Interfaces the project's KLIK tasks name without a registered usage: shown as such.
        mentioned = (
            Interface.objects.filter(tasks__project=project, tasks__municipality__isnull=True)
            .exclude(usages__project=project)
            .select_related("support_system")
            .distinct()
            .order_by("code")
        )
        return super().get_context_data(
            tasks=rows,
            totals=colour_totals(rows),
            trend=trend_for(user, timezone.localdate(), project),
            mentioned=list(mentioned),
            single_municipality=bool(user.municipality_id),
            roles=project_roles(project, user),
            events=Event.objects.for_list().filter(project=project).order_by("starts_at"),
            **kwargs,
        )


def project_roles(project, user):
    """The project's roles, required first. For a municipality's user each carries `holders`:
    who holds it there today, for the project or across projects (one query for all roles);
    for KOMBIT staff `staffed_municipalities`, how many municipalities have someone on it."""
    roles = ProjectRole.objects.filter(project=project).select_related("role")
    roles = roles.order_by("-required", "role__category", "role__position", "role__name")
    if not user.municipality_id:
        return list(roles.with_staffed_municipalities()) if user.is_kombit_staff else list(roles)
    roles = list(roles)
    holders = {}
    assignments = (
        RoleAssignment.objects.held_in(user.municipality)
        .filter(Q(project=project) | Q(project__isnull=True), role__in=[r.role_id for r in roles])
        # A person holding the role both for the project and across projects is named once,
        # by the project's assignment.
        .order_by("-primary", "person__name", F("project").asc(nulls_last=True), "pk")
    )
    seen = set()
    for assignment in assignments:
        if (assignment.role_id, assignment.person_id) in seen:
            continue
        seen.add((assignment.role_id, assignment.person_id))
        holders.setdefault(assignment.role_id, []).append(assignment)
    for project_role in roles:
        project_role.holders = holders.get(project_role.role_id, [])
        project_role.is_staffed = bool(project_role.holders)
    return roles


class InterfaceListView(ListView):
    """`/snitflader/`: every interface, grouped by support system, with who uses it."""

    template_name = "overblik/interface_list.html"
    context_object_name = "interfaces"

    def get_queryset(self):
        return Interface.objects.for_list().order_by("support_system__name", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["interfaces"] = mentions_without_usage(context["interfaces"])
        return context


class InterfaceView(DetailView):
    """`/snitflader/<code>/`: one interface; a lowercase code redirects to the canonical URL."""

    template_name = "overblik/interface_detail.html"
    context_object_name = "interface"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if not re.fullmatch(INTERFACE_CODE_RE, code.upper()):
            raise Http404  # also keeps bytes such as NUL away from the database
        if code != code.upper():
            interface = get_object_or_404(Interface, code=code.upper())
            return redirect(interface, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(Interface.objects.for_list(), code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        tasks = (
            MunicipalityTask.objects.visible_to(self.request.user)
            .with_colour(timezone.localdate())
            .filter(task__interfaces=self.object)
        )
        rows = task_rows(tasks)
        # The task rows name their projects already, so the projects whose tasks name the
        # interface without a registered usage cost no query here.
        used = {usage.project.slug for usage in self.object.usages.all()}
        mentioned = {
            r["task__project__slug"]: r["task__project__short_name"]
            for r in rows
            if r["task__project__slug"] and r["task__project__slug"] not in used
        }
        return super().get_context_data(
            tasks=rows,
            mentioned=sorted(mentioned.values()),
            single_municipality=bool(self.request.user.municipality_id),
            **kwargs,
        )


class EventListView(TemplateView):
    """`/arrangementer/`: coming events first, past ones folded away."""

    template_name = "overblik/event_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        events = Event.objects.for_list()
        return super().get_context_data(
            upcoming=list(events.upcoming(now)), past=list(events.past(now)), **kwargs
        )


def event_ics(request, pk):
    """One event as an iCalendar file for the user's own calendar."""
    event = get_object_or_404(Event.objects.for_list(), pk=pk)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//KOMBIT programleder//kombitpl//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(ics_event(event, request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arrangement-{event.pk}.ics"'
    return response


def ics_event(event, request):
    """The VEVENT of `event`: times in UTC, text fields as the events page shows them."""
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@{request.get_host().split(':')[0] or 'kombitpl'}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at or event.starts_at + timedelta(hours=1))
    vevent.add("summary", event.title)
    details = [
        event.get_kind_display(),
        event.description,
        _("Audience: %(audience)s") % {"audience": event.audience} if event.audience else "",
        _("From KOMBIT: %(hosts)s") % {"hosts": event.hosts} if event.hosts else "",
    ]
    vevent.add("description", "\n\n".join(str(d) for d in details if d))
    if event.place:
        vevent.add("location", event.place)
    vevent.add(
        "url",
        request.build_absolute_uri(reverse("overblik:event_list")) + f"#arrangement-{event.pk}",
    )
    return vevent
