"""KOMBIT's portfolio: municipalities, support systems, interfaces, projects, events, users."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .validators import validate_xml_text

MUNICIPALITY_CODE_RE = r"^[0-9]{3}$"
INTERFACE_CODE_RE = r"^SF[0-9]{4}$"


def source_field():
    """Where a fact comes from and when ("KOMBIT, maj/juni 2018"), shown beside the fact so a
    dated fact never reads as a present one. Blank: the fact has no stated source."""
    return models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        validators=[validate_xml_text],
        help_text=_("Who says so, and when: e.g. “KOMBIT, marts 2018”."),
    )


class MunicipalityManager(models.Manager):
    def get_by_natural_key(self, code):
        """Fixtures refer to a municipality by its code, which is stable across databases."""
        return self.get(code=code)


class Municipality(models.Model):
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(MUNICIPALITY_CODE_RE, _("A municipality code has 3 digits."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_xml_text])
    region = models.CharField(
        _("region"), max_length=50, blank=True, validators=[validate_xml_text]
    )

    objects = MunicipalityManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=MUNICIPALITY_CODE_RE), name="municipality_code_3_digits"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class User(AbstractUser):
    """A login; belongs to at most one municipality. KOMBIT staff have none."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_kombit_staff(self):
        """True for users without a municipality who may see every municipality."""
        if not self.is_authenticated or self.municipality_id:
            return False
        if self.is_superuser:
            return True
        # Prefetched groups avoid a query per call in templates.
        return any(g.name == settings.KOMBIT_STAFF_GROUP for g in self.groups.all())

    @property
    def is_klik_administrator(self):
        """True for a municipality's user in the KLIK-administrator group (its /brugere/)."""
        if not self.is_authenticated or not self.municipality_id:
            return False
        return any(g.name == settings.KLIK_ADMIN_GROUP for g in self.groups.all())


class SupportSystemQuerySet(models.QuerySet):
    def for_page(self):
        """Adds the materials and the interfaces with the projects using each."""
        return self.prefetch_related(
            "materials",
            Prefetch(
                "interfaces",
                queryset=Interface.objects.prefetch_related(
                    Prefetch("usages", queryset=InterfaceUsage.objects.for_chips())
                ),
            ),
        )


class SupportSystem(models.Model):
    class Kind(models.TextChoices):
        STS = "sts", _("Support system (STS)")
        SERVICE_PLATFORM = "sp", _("Serviceplatformen")
        OTHER = "other", _("Other infrastructure")

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_xml_text])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STS)
    description = models.TextField(_("description"), blank=True, validators=[validate_xml_text])
    attention_points = models.TextField(
        _("attention points"), blank=True, validators=[validate_xml_text]
    )
    source = source_field()

    objects = SupportSystemQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("support system")
        verbose_name_plural = _("support systems")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("overblik:support_system_detail", kwargs={"slug": self.slug})


class Material(models.Model):
    """An effort or material link ("indsats/påklædning") about a support system."""

    support_system = models.ForeignKey(
        SupportSystem,
        verbose_name=_("support system"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_xml_text])
    url = models.URLField(_("link"), max_length=500)

    class Meta:
        ordering = ["support_system", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title


class InterfaceQuerySet(models.QuerySet):
    def for_list(self):
        """Adds the support system and the projects using each interface."""
        return self.select_related("support_system").prefetch_related(
            Prefetch("usages", queryset=InterfaceUsage.objects.for_chips())
        )


class Interface(models.Model):
    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(INTERFACE_CODE_RE, _("An interface code is SF and 4 digits."))],
        help_text=_("SF and four digits, e.g. SF1511."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_xml_text])
    support_system = models.ForeignKey(
        SupportSystem,
        verbose_name=_("support system"),
        on_delete=models.PROTECT,
        related_name="interfaces",
    )
    description = models.TextField(_("description"), blank=True, validators=[validate_xml_text])
    documentation_url = models.URLField(_("documentation"), max_length=500, blank=True)

    objects = InterfaceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=INTERFACE_CODE_RE), name="interface_code_sf_4_digits"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("overblik:interface_detail", kwargs={"code": self.code})


class ProjectQuerySet(models.QuerySet):
    def for_overview(self):
        """Adds the pilot municipalities and the interfaces used, with their support systems."""
        return self.prefetch_related(
            "pilot_municipalities",
            Prefetch(
                "usages",
                queryset=InterfaceUsage.objects.select_related(
                    "interface__support_system"
                ).order_by("interface__support_system__name", "interface__code"),
            ),
        )

    def using_support_system(self, support_system):
        """Projects with an interface of `support_system` or a KLIK task concerning it."""
        return self.filter(
            Q(usages__interface__support_system=support_system)
            | Q(tasks__support_system=support_system)
        ).distinct()


class Project(models.Model):
    class Phase(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        PILOT = "pilot", _("Pilot")
        ROLLOUT = "rollout", _("Rollout")
        OPERATION = "operation", _("Operation")

    class Rollout(models.TextChoices):
        BIG_BANG = "big_bang", _("All at once (big bang)")
        WAVES = "waves", _("In waves")
        MUNICIPALITY_DECIDES = "municipality_decides", _("Each municipality decides")
        UNKNOWN = "unknown", _("Not stated")

    short_name = models.CharField(
        _("short name"), max_length=20, unique=True, validators=[validate_xml_text]
    )
    name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[validate_xml_text]
    )
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True, validators=[validate_xml_text])
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    # Three states: the source says there is a pilot, says there is none, or says nothing.
    has_pilot = models.BooleanField(
        _("pilot"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Empty: the source does not say."),
    )
    pilot_municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("pilot municipalities"),
        blank=True,
        related_name="pilot_projects",
    )
    pilot_note = models.CharField(
        _("pilot note"), max_length=300, blank=True, validators=[validate_xml_text]
    )
    pilot_duration = models.CharField(
        _("pilot duration"), max_length=100, blank=True, validators=[validate_xml_text]
    )
    rollout = models.CharField(
        _("rollout"), max_length=30, choices=Rollout.choices, default=Rollout.UNKNOWN
    )
    rollout_waves = models.PositiveSmallIntegerField(_("number of waves"), null=True, blank=True)
    go_live_on = models.DateField(_("go-live or ready-by date"), null=True, blank=True)
    klik_note = models.CharField(
        _("KLIK note"),
        max_length=300,
        blank=True,
        validators=[validate_xml_text],
        help_text=_(
            "What the source said about the published KLIK tasks; the page counts them itself."
        ),
    )
    source = source_field()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                # isnull=False: a CHECK passes when it evaluates to NULL, so `NULL >= 1` alone
                # would let a rollout in waves without a count through.
                condition=Q(rollout="waves", rollout_waves__isnull=False, rollout_waves__gte=1)
                | ~Q(rollout="waves"),
                name="project_waves_need_count",
                violation_error_message=_("A rollout in waves needs the number of waves."),
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("overblik:project_detail", kwargs={"slug": self.slug})

    @property
    def rollout_summary(self):
        """How the project rolls out, in words, with its ready-by date when it has one."""
        if self.rollout == self.Rollout.WAVES:
            text = ngettext("In %(count)d wave", "In %(count)d waves", self.rollout_waves or 0) % {
                "count": self.rollout_waves or 0
            }
        else:
            text = str(self.get_rollout_display())
        if self.go_live_on:
            text = _("%(how)s, ready by %(date)s") % {
                "how": text,
                "date": date_format(self.go_live_on, "j. F Y"),
            }
        return text


class InterfaceUsageQuerySet(models.QuerySet):
    def for_chips(self):
        """Adds the project each chip names, in project order."""
        return self.select_related("project").order_by("project__short_name")


class InterfaceUsage(models.Model):
    """A project's use of an interface, as the deck's SF1511 row: "BBR (I gang)"."""

    class State(models.TextChoices):
        COMPLETED = "completed", _("completed")
        IN_PROGRESS = "in_progress", _("in progress")
        PLANNED = "planned", _("planned")
        NEW = "new", _("new")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="usages"
    )
    interface = models.ForeignKey(
        Interface, verbose_name=_("interface"), on_delete=models.CASCADE, related_name="usages"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    planned_year = models.PositiveSmallIntegerField(_("planned year"), null=True, blank=True)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[validate_xml_text])
    source = source_field()

    objects = InterfaceUsageQuerySet.as_manager()

    class Meta:
        ordering = ["interface__code", "project__short_name"]
        verbose_name = _("interface usage")
        verbose_name_plural = _("interface usages")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "interface"],
                name="usage_unique_project_interface",
                violation_error_message=_("The project already uses this interface."),
            ),
        ]

    def __str__(self):
        return f"{self.project} ({self.when_label})"

    @property
    def when_label(self):
        """The deck's wording: the planned year when planned, else the state."""
        if self.state == self.State.PLANNED and self.planned_year:
            return str(self.planned_year)
        return self.get_state_display()


class EventQuerySet(models.QuerySet):
    def for_list(self):
        """Adds the support system and project each event is about."""
        return self.select_related("support_system", "project")

    def upcoming(self, now):
        """Events not yet over at `now`, soonest first."""
        return (
            self.alias(over_at=Coalesce("ends_at", "starts_at"))
            .filter(over_at__gte=now)
            .order_by("starts_at", "pk")
        )

    def past(self, now):
        """Events over before `now`, latest first."""
        return (
            self.alias(over_at=Coalesce("ends_at", "starts_at"))
            .filter(over_at__lt=now)
            .order_by(F("starts_at").desc(), "-pk")
        )


class Event(models.Model):
    """The effort calendar ("indsatsen"): webinars, network meetings, municipality days."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        NETWORK_MEETING = "network_meeting", _("Network meeting")
        ONLINE_MEETING = "online_meeting", _("Online meeting")
        MUNICIPALITY_DAY = "municipality_day", _("Municipality day")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_xml_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_xml_text])
    audience = models.TextField(_("audience"), blank=True, validators=[validate_xml_text])
    hosts = models.CharField(
        _("from KOMBIT"), max_length=300, blank=True, validators=[validate_xml_text]
    )
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_xml_text])
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    support_system = models.ForeignKey(
        SupportSystem,
        verbose_name=_("support system"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    source = source_field()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title
