"""Turning what is due into mails: subject, plain text and simple HTML, in Danish, with
absolute links and a signed one-click unsubscribe link. No images, no tracking."""

from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Kind, Topic

UNSUBSCRIBE_SALT = "notifikationer.unsubscribe"


def absolute(path):
    """`path` (from reverse or get_absolute_url) as a link that works from a mail."""
    return settings.SITE_URL + path


def unsubscribe_token(email, topics):
    """A signed token naming the address and the topics its link turns off."""
    return signing.dumps({"e": email.lower(), "t": sorted(topics)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(email, topics) from a token; raises signing.BadSignature when it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    topics = [t for t in data.get("t", []) if t in Topic.values]
    if not isinstance(data.get("e"), str) or not topics:
        raise signing.BadSignature("incomplete")
    return data["e"], topics


def unsubscribe_url(email, topics):
    token = unsubscribe_token(email, topics)
    return absolute(reverse("notifikationer:unsubscribe", kwargs={"token": token}))


def _common(recipient, municipality_name, topics):
    return {
        "recipient": recipient,
        "municipality_name": municipality_name,
        "site_url": settings.SITE_URL,
        "preferences_url": absolute(reverse("notifikationer:preferences")),
        "unsubscribe_url": unsubscribe_url(recipient.email, topics),
    }


def _render(template, context):
    with translation.override(settings.LANGUAGE_CODE):
        return (
            render_to_string(f"notifikationer/mail/{template}.txt", context).strip() + "\n",
            render_to_string(f"notifikationer/mail/{template}.html", context),
        )


def event_mail(recipient, municipality_name, items):
    """(subject, text, html, unsubscribe url) of the mail telling `recipient` about `items`."""
    by_kind = {k: [i for i in items if i.kind == k] for k in Kind.values}
    published = by_kind[Kind.PUBLISHED]
    context = {
        **_common(recipient, municipality_name, {i.topic for i in items}),
        "assigned": [_task_row(i) for i in by_kind[Kind.ASSIGNED]],
        "deadline_near": [_task_row(i) for i in by_kind[Kind.DEADLINE_NEAR]],
        "turned_red": [_task_row(i) for i in by_kind[Kind.TURNED_RED]],
        "published": [
            {"project": project, "rows": [_task_row(i) for i in rows]}
            for project, rows in groupby(published, key=lambda i: _project_name(i.task))
        ],
        "published_count": len(published),
        "reminder_days": settings.KLIK_REMINDER_DAYS,
        "klik_url": absolute(reverse("klik:list")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(municipality_name, _event_summary(by_kind))
    return subject, *_render("events", context), context["unsubscribe_url"]


def _project_name(mt):
    return mt.task.project.short_name if mt.task.project_id else _("Programme")


def _task_row(item):
    mt = item.task
    return {
        "title": mt.task.title,
        "project": _project_name(mt),
        "deadline": mt.task.deadline,
        "url": absolute(mt.get_absolute_url()),
        "detail": item.detail,
    }


def _event_summary(by_kind):
    parts = []
    if n := len(by_kind[Kind.ASSIGNED]):
        parts.append(ngettext("%(n)d task for you", "%(n)d tasks for you", n) % {"n": n})
    if n := len(by_kind[Kind.DEADLINE_NEAR]):
        parts.append(ngettext("%(n)d deadline near", "%(n)d deadlines near", n) % {"n": n})
    if n := len(by_kind[Kind.TURNED_RED]):
        parts.append(ngettext("%(n)d task turned red", "%(n)d tasks turned red", n) % {"n": n})
    if n := len(by_kind[Kind.PUBLISHED]):
        parts.append(
            ngettext("%(n)d new task published", "%(n)d new tasks published", n) % {"n": n}
        )
    return ", ".join(parts)


def _subject(municipality_name, what):
    return f"KLIK – {municipality_name}: {what}"


def digest_mail(recipient, municipality_name, digest):
    """(subject, text, html, unsubscribe url) of a programme leader's weekly digest."""
    context = {
        **_common(recipient, municipality_name, {Topic.DIGEST}),
        "digest": digest,
        "klik_url": absolute(reverse("klik:list")),
        "staffing_url": absolute(reverse("rollegalleri:staffing")) + "?unstaffed=on",
        # The pages above this app are reached by URL name, never imported.
        "events_url": absolute(reverse("overblik:event_list")),
        "escalation_days": settings.KLIK_ESCALATION_DAYS,
    }
    context["rows"] = _digest_rows(digest)
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(digest.today, "j. F Y")
        subject = _subject(municipality_name, _("the week's overview, %(day)s") % {"day": when})
    return subject, *_render("digest", context), context["unsubscribe_url"]


def _digest_rows(digest):
    """Absolute links for every row the digest lists."""

    def tasks(section):
        return [
            {
                "title": mt.task.title,
                "project": _project_name(mt),
                "deadline": mt.task.deadline,
                "colour": getattr(mt, "colour", ""),
                "responsible": mt.responsible.name if mt.responsible_id else "",
                "url": absolute(mt.get_absolute_url()),
            }
            for mt in section.rows
        ]

    return {
        "published": tasks(digest.published),
        "turned": tasks(digest.turned),
        "escalate": tasks(digest.escalate),
        "deadlines": tasks(digest.deadlines),
        "unstaffed": [
            {
                "role": pr.role.name,
                "project": pr.project.short_name,
                "url": absolute(pr.role.get_absolute_url()),
            }
            for pr in digest.unstaffed.rows
        ],
        "events": [
            {"title": e.title, "starts_at": e.starts_at, "place": e.place}
            for e in digest.events.rows
        ],
    }


def national_digest_mail(recipient, digest):
    """(subject, text, html, unsubscribe url) of KOMBIT's national weekly digest."""
    context = {
        **_common(recipient, _("All municipalities"), {Topic.NATIONAL_DIGEST}),
        "digest": digest,
        "dashboard_url": absolute(reverse("overblik:dashboard")),
        "klik_url": absolute(reverse("klik:list")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(digest.today, "j. F Y")
        subject = _subject(
            _("All municipalities"), _("the week's overview, %(day)s") % {"day": when}
        )
    return subject, *_render("national_digest", context), context["unsubscribe_url"]


def message_of(mail):
    """The EmailMultiAlternatives for a queued OutgoingMail, with List-Unsubscribe headers."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers={
            "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(mail.body_html, "text/html")
    return message
