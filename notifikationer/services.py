"""Writes with rules: the scheduler's run, sending one mail, preferences, calendar tokens and
the daily colour counts."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from klik.models import MunicipalityTask
from portfolio.models import Municipality, User

from . import collect, digests, mails
from .models import (
    CalendarFeed,
    ColourCount,
    Kind,
    MailPreference,
    Notice,
    OutgoingMail,
    Topic,
)

logger = logging.getLogger(__name__)


@dataclass
class RunReport:
    queued: int = 0
    retried: int = 0
    trend_rows: int = 0


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def notifications_send(
    *, today: date | None = None, now: datetime | None = None, deliver: bool = False
) -> RunReport:
    """Decide what is due, queue one mail per recipient and kind of mail, and hand the mails
    to the background worker, or with `deliver` send them here (no worker needed).
    Idempotent: what a recorded notice already told is skipped."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = RunReport(trend_rows=trend_record(day=today))
    since = now - timedelta(days=settings.NOTIFY_LOOKBACK_DAYS)
    lookback = settings.NOTIFY_LOOKBACK_DAYS
    pairs = chain(
        collect.assigned(since),
        collect.published(today, lookback),
        collect.deadline_near(today, settings.KLIK_REMINDER_DAYS),
        collect.turned_red(today, since, lookback),
    )
    bundles = collect.bundles(pairs)
    mails_to_send = _queue_event_mails(bundles)
    mails_to_send += _queue_digests(today, now)
    mails_to_send += _queue_national_digests(today)
    report.queued = len(mails_to_send)
    retry = list(
        OutgoingMail.objects.filter(
            status=OutgoingMail.Status.FAILED, attempts__lt=settings.MAIL_MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    report.retried = len(retry)
    for pk in chain(mails_to_send, retry):
        if deliver:
            mail_send(mail_id=pk)
        else:
            mail_enqueue(mail_id=pk)
    return report


def _preferences(emails):
    found = MailPreference.objects.for_addresses(emails)
    return {e: found.get(e) or MailPreference(email=e) for e in emails}


def _queue_event_mails(bundles):
    emails = {b.recipient.email for b in bundles}
    done = Notice.objects.keys_for(emails)
    prefs = _preferences(emails)
    names = dict(Municipality.objects.values_list("pk", "name"))
    queued = []
    for bundle in bundles:
        r = bundle.recipient
        items = [
            i
            for i in bundle.items
            if (r.email, i.kind, i.object_key, i.period) not in done
            and prefs[r.email].wants(i.topic)
        ]
        if not items:
            continue
        topic = Topic.TASKS if any(i.topic == Topic.TASKS for i in items) else Topic.PUBLISHED
        rendered = mails.event_mail(r, names[r.municipality_id], items)
        keys = [(i.kind, i.object_key, i.period) for i in items]
        mail = mail_queue(recipient=r, topic=topic, rendered=rendered, keys=keys)
        if mail:
            queued.append(mail.pk)
    return queued


def _queue_digests(today, now):
    leaders = (
        User.objects.filter(
            is_active=True,
            municipality__isnull=False,
            groups__name=settings.PROGRAMME_LEADER_GROUP,
        )
        .exclude(email="")
        .select_related("municipality")
        .order_by("pk")
    )
    leaders = list(leaders)
    prefs = _preferences({u.email.lower() for u in leaders})
    period = iso_week(today)
    queued = []
    for user in leaders:
        recipient = collect.recipient_of_user(user)
        pref = prefs[recipient.email]
        key = (Kind.DIGEST, f"municipality:{user.municipality.code}", period)
        if not pref.wants(Topic.DIGEST) or pref.digest_weekday != today.weekday():
            continue
        if Notice.objects.filter(recipient=recipient.email, kind=key[0], period=period).exists():
            continue
        digest = digests.municipal_digest(user, today, _last_digest_day(recipient, today), now)
        if digest.is_empty:
            continue
        rendered = mails.digest_mail(recipient, user.municipality.name, digest)
        mail = mail_queue(recipient=recipient, topic=Topic.DIGEST, rendered=rendered, keys=[key])
        if mail:
            queued.append(mail.pk)
    return queued


def _last_digest_day(recipient, today):
    last = (
        Notice.objects.filter(recipient=recipient.email, kind=Kind.DIGEST)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(last) if last else today - timedelta(days=7)


def _queue_national_digests(today):
    staff = (
        User.objects.filter(is_active=True, municipality__isnull=True)
        .exclude(email="")
        .prefetch_related("groups")
        .order_by("pk")
    )
    staff = [u for u in staff if u.is_kombit_staff]
    prefs = _preferences({u.email.lower() for u in staff})
    key = (Kind.NATIONAL_DIGEST, "nation", iso_week(today))
    queued, digest = [], None
    for user in staff:
        recipient = collect.recipient_of_user(user)
        pref = prefs[recipient.email]
        if not pref.wants(Topic.NATIONAL_DIGEST) or pref.digest_weekday != today.weekday():
            continue
        if Notice.objects.filter(recipient=recipient.email, kind=key[0], period=key[2]).exists():
            continue
        digest = digest or digests.national_digest(user, today)
        if digest.is_empty:
            continue
        rendered = mails.national_digest_mail(recipient, digest)
        mail = mail_queue(
            recipient=recipient, topic=Topic.NATIONAL_DIGEST, rendered=rendered, keys=[key]
        )
        if mail:
            queued.append(mail.pk)
    return queued


def mail_queue(*, recipient, topic, rendered, keys) -> OutgoingMail | None:
    """Record a mail and what it tells (one Notice per key). None when a concurrent run
    recorded one of those notices first, so the recipient is never told twice."""
    subject, text, html, unsubscribe_url = rendered
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                recipient=recipient.email,
                municipality_id=recipient.municipality_id,
                topic=topic,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                unsubscribe_url=unsubscribe_url,
            )
            Notice.objects.bulk_create(
                Notice(mail=mail, recipient=recipient.email, kind=k, object_key=o, period=p)
                for k, o, p in keys
            )
    except IntegrityError:
        return None
    return mail


def mail_enqueue(*, mail_id: int):
    """Hand a mail to the background worker."""
    # tasks.py imports this module for mail_send; importing it here keeps that one way.
    from .tasks import deliver_mail

    return deliver_mail.enqueue(mail_id)


def mail_send(*, mail_id: int) -> bool:
    """Send a queued mail once; returns whether it went out. A failure is recorded on the
    mail (attempts, error) and retried later, until MAIL_MAX_ATTEMPTS."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if mail.status == OutgoingMail.Status.SENT:
            return False
        if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            return False
        mail.attempts += 1
        try:
            mails.message_of(mail).send()
        except Exception as error:  # noqa: BLE001 - any backend failure is retried later
            logger.warning("Mail %s to %s failed: %s", mail.pk, mail.recipient, error)
            mail.status = OutgoingMail.Status.FAILED
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return mail.status == OutgoingMail.Status.SENT


# --- Preferences --------------------------------------------------------------

PREFERENCE_FIELDS = ("enabled", "tasks", "published", "digest", "digest_weekday", "national_digest")


def preference_update(*, email: str, data: dict) -> MailPreference:
    """Save the choices in `data` for `email`, creating its preference row when needed."""
    preference, _created = MailPreference.objects.get_or_create(email=email.lower())
    for name in PREFERENCE_FIELDS:
        if name in data:
            setattr(preference, name, data[name])
    preference.full_clean()
    preference.save()
    return preference


def preference_unsubscribe(*, email: str, topics) -> MailPreference:
    """Turn off `topics` for `email` (from a mail's unsubscribe link)."""
    return preference_update(email=email, data={t: False for t in topics})


# --- Calendar feed ----------------------------------------------------------------


def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give `user` a new secret feed address; the old one stops working at once."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user) -> None:
    """Close `user`'s calendar feed: its address answers 404 from now on."""
    CalendarFeed.objects.filter(user=user).delete()


# --- Trend ------------------------------------------------------------------------


@transaction.atomic
def trend_record(*, day: date) -> int:
    """Record the colour counts per municipality × project on `day`, replacing what that day
    had, so running it twice changes nothing. Returns the number of rows."""
    rows = (
        MunicipalityTask.objects.filter(task__published_on__lte=day)
        .with_colour(day)
        .colour_counts_by("municipality_id", "task__project_id")
    )
    counts = [
        ColourCount(
            day=day,
            municipality_id=row["municipality_id"],
            project_id=row["task__project_id"],
            **{c: row[c] for c in ("red", "yellow", "green", "grey")},
        )
        for row in rows
    ]
    ColourCount.objects.filter(day=day).delete()
    ColourCount.objects.bulk_create(counts, batch_size=1000)
    return len(counts)


def trend_backfill(*, today: date, weeks: int = 26) -> int:
    """Fill the missing weeks of the last `weeks` from the tasks' dates: one day per week
    (each Sunday), computed with today's states. Returns the number of days recorded."""
    recorded = set(ColourCount.objects.values_list("day", flat=True).distinct())
    sunday = today - timedelta(days=today.weekday() + 1)
    days = [sunday - timedelta(weeks=w) for w in range(weeks)]
    missing = [d for d in days if d not in recorded and not _week_has(recorded, d)]
    for day in missing:
        trend_record(day=day)
    return len(missing)


def _week_has(recorded, day):
    return any(d.isocalendar()[:2] == day.isocalendar()[:2] for d in recorded)
