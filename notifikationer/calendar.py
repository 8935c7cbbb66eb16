"""A user's calendar feed: their municipality's unsolved KLIK deadlines and the events, as
iCalendar that Outlook and Google Calendar subscribe to."""

from datetime import timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klik.models import MunicipalityTask, State
from portfolio.models import Event

from .mails import absolute

PRODID = "-//KOMBIT programleder//kombitpl//DA"
UID_DOMAIN = "kombitpl"


def feed_calendar(user) -> icalendar.Calendar:
    """The feed of `user`: all-day deadlines of their municipality's unsolved tasks (none
    for users without a municipality) and every event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("KLIK deadlines and events"))
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    stamp = timezone.now()
    for mt in deadline_tasks(user):
        calendar.add_component(deadline_event(mt, stamp))
    for event in Event.objects.for_list().order_by("starts_at", "pk"):
        calendar.add_component(event_event(event, stamp))
    return calendar


def deadline_tasks(user):
    """The unsolved tasks with a deadline of the user's own municipality, scoped as every
    page is (visible_to), so nothing another municipality owns can appear."""
    if not user.municipality_id:
        return MunicipalityTask.objects.none()
    return (
        MunicipalityTask.objects.visible_to(user)
        .filter(municipality_id=user.municipality_id, task__deadline__isnull=False)
        .exclude(state=State.DONE)
        .select_related("task__project", "responsible", "executor")
        .order_by("task__deadline", "pk")
    )


def deadline_event(mt, stamp):
    vevent = icalendar.Event()
    vevent.add("uid", f"klik-{mt.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", mt.task.deadline)
    vevent.add("dtend", mt.task.deadline + timedelta(days=1))
    project = mt.task.project.short_name if mt.task.project_id else _("Programme")
    vevent.add("summary", _("KLIK deadline: %(title)s") % {"title": mt.task.title})
    lines = [
        f"{_('Project')}: {project}",
        f"{_('Responsible')}: {mt.responsible.name if mt.responsible_id else _('Nobody')}",
        f"{_('Executor')}: {mt.executor.name if mt.executor_id else _('Nobody')}",
        f"{_('State')}: {mt.get_state_display()}",
    ]
    vevent.add("description", "\n".join(lines))
    vevent.add("url", absolute(mt.get_absolute_url()))
    vevent.add("transp", "TRANSPARENT")
    return vevent


def event_event(event, stamp):
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at or event.starts_at + timedelta(hours=1))
    vevent.add("summary", event.title)
    details = (event.get_kind_display(), event.description)
    vevent.add("description", "\n\n".join(str(d) for d in details if d))
    if event.place:
        vevent.add("location", event.place)
    vevent.add("url", absolute(reverse("overblik:event_list")) + f"#arrangement-{event.pk}")
    return vevent
