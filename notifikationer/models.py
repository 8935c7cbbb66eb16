"""Mail preferences, every mail queued or sent, the calendar feed's tokens and the daily
colour counts behind the trend chart."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klik.models import Colour
from portfolio.models import Municipality, Project
from portfolio.validators import validate_xml_text


class Topic(models.TextChoices):
    """What a preference switches on or off, and what an unsubscribe link turns off."""

    TASKS = "tasks", _("My tasks: assigned, deadline near, turned red")
    PUBLISHED = "published", _("New KLIK tasks published for the municipality")
    DIGEST = "digest", _("The weekly digest")
    NATIONAL_DIGEST = "national_digest", _("The national weekly digest (KOMBIT)")


class Kind(models.TextChoices):
    """What one recorded notice is about."""

    ASSIGNED = "assigned", _("Made responsible or executor")
    PUBLISHED = "published", _("New task published")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    TURNED_RED = "turned_red", _("Turned red")
    DIGEST = "digest", _("Weekly digest")
    NATIONAL_DIGEST = "national_digest", _("National digest")


class Weekday(models.IntegerChoices):
    """Weekdays as Python numbers them; the labels are Django's own (mandag, tirsdag, …)."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MailPreferenceQuerySet(models.QuerySet):
    def for_addresses(self, emails):
        """{lower-cased e-mail: preference} for those of `emails` that have one."""
        return {p.email: p for p in self.filter(email__in={e.lower() for e in emails})}


class MailPreference(models.Model):
    """One address's choices. An address without a row gets the defaults: every mail on, the
    digest on Mondays, the national digest off. Keyed by address, because persons on tasks
    need no login to unsubscribe."""

    email = models.EmailField(_("e-mail"), unique=True)
    enabled = models.BooleanField(_("send me mail"), default=True)
    tasks = models.BooleanField(Topic.TASKS.label, default=True)
    published = models.BooleanField(Topic.PUBLISHED.label, default=True)
    digest = models.BooleanField(Topic.DIGEST.label, default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest weekday"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    national_digest = models.BooleanField(Topic.NATIONAL_DIGEST.label, default=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = MailPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_weekday__gte=0, digest_weekday__lte=6),
                name="mailpreference_weekday_0_6",
            ),
        ]

    def __str__(self):
        return self.email

    def wants(self, topic):
        """Whether mail of `topic` may go to this address."""
        return self.enabled and getattr(self, topic)


class OutgoingMail(models.Model):
    """One mail, rendered when it is queued; the background task sends it and records how."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    subject = models.CharField(_("subject"), max_length=300, validators=[validate_xml_text])
    body_text = models.TextField(_("text"), validators=[validate_xml_text])
    body_html = models.TextField(_("HTML"), validators=[validate_xml_text])
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, validators=[validate_xml_text])
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        indexes = [models.Index(fields=["status", "attempts"], name="outgoingmail_status_idx")]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class NoticeQuerySet(models.QuerySet):
    def keys_for(self, recipients):
        """The (recipient, kind, object, period) keys already recorded for `recipients`."""
        return set(
            self.filter(recipient__in=recipients).values_list(
                "recipient", "kind", "object_key", "period"
            )
        )


class Notice(models.Model):
    """One thing a mail told one recipient: kind, object and period. Unique, so running the
    scheduler again never tells anyone the same thing twice."""

    mail = models.ForeignKey(
        OutgoingMail, verbose_name=_("mail"), on_delete=models.CASCADE, related_name="notices"
    )
    recipient = models.EmailField(_("recipient"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # "mt:<id>" for a municipality task, "municipality:<code>" or "nation" for digests.
    object_key = models.CharField(_("object"), max_length=50, validators=[validate_xml_text])
    # What makes a repeat new: the deadline for reminders, the ISO week for digests.
    period = models.CharField(_("period"), max_length=30, validators=[validate_xml_text])
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "period"], name="notice_unique"
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.get_kind_display()} {self.object_key} ({self.period})"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's secret calendar address. Renewing it replaces the token, so the old URL 404s."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(
        _("token"),
        max_length=64,
        unique=True,
        default=new_feed_token,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]{20,64}\Z")],
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("notifikationer:calendar", kwargs={"token": self.token})


class ColourCountQuerySet(models.QuerySet):
    def totals_by_day(self, since):
        """A row per recorded day from `since` with the summed count per colour."""
        return (
            self.filter(day__gte=since)
            .order_by()
            .values("day")
            .annotate(**{c: Sum(c) for c in Colour.values})
            .order_by("day")
        )


class ColourCount(models.Model):
    """How many of a municipality's tasks of one project had each colour on one day."""

    day = models.DateField(_("day"))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for programme tasks."),
    )
    red = models.PositiveIntegerField(Colour.RED.label, default=0)
    yellow = models.PositiveIntegerField(Colour.YELLOW.label, default=0)
    green = models.PositiveIntegerField(Colour.GREEN.label, default=0)
    grey = models.PositiveIntegerField(Colour.GREY.label, default=0)

    objects = ColourCountQuerySet.as_manager()

    class Meta:
        ordering = ["day", "municipality", "project"]
        verbose_name = _("colour count")
        verbose_name_plural = _("colour counts")
        constraints = [
            # Two partial constraints, because NULL project never collides in a plain one.
            models.UniqueConstraint(
                fields=["day", "municipality", "project"],
                condition=Q(project__isnull=False),
                name="colourcount_unique_project",
            ),
            models.UniqueConstraint(
                fields=["day", "municipality"],
                condition=Q(project__isnull=True),
                name="colourcount_unique_programme",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="colourcount_day_idx")]

    def __str__(self):
        return f"{self.day} {self.municipality} {self.project or '-'}"
