"""KLIK tasks as KOMBIT publishes them, and each municipality's copy with its traffic light."""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portfolio.models import Interface, Municipality, Project, SupportSystem
from portfolio.scoping import scope_by_municipality
from portfolio.validators import validate_xml_text
from rollegalleri.models import PERSON_OTHER_MUNICIPALITY, Person, Role, RoleAssignment

LOCAL_TASK_OTHER_MUNICIPALITY = _("A local task has a copy for its own municipality only.")


class Colour(models.TextChoices):
    """The KLIK traffic light. Declared in severity order, worst first."""

    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")
    GREY = "grey", _("Grey")


COLOUR_SEVERITY = {colour: rank for rank, colour in enumerate(Colour.values)}


class ColourShades(NamedTuple):
    """One traffic-light colour's RGB hex values: `fill` behind chips, cells and the export's
    Status cell, `ink` for text on the fill, `edge` for borders and chart bars."""

    fill: str
    ink: str
    edge: str


# The stylesheet's --klik-<colour>-<shade> custom properties (static/css/app.css) hold the same
# values; tests/klik/test_colour_shades.py keeps the two equal.
COLOUR_SHADES = {
    Colour.RED: ColourShades(fill="F4C7C3", ink="8A1414", edge="C92B2B"),
    Colour.YELLOW: ColourShades(fill="FCE8B2", ink="5C4400", edge="D9A800"),
    Colour.GREEN: ColourShades(fill="B7E1CD", ink="1C5A25", edge="358745"),
    Colour.GREY: ColourShades(fill="D9D9D9", ink="3D3D3D", edge="8A8A8A"),
}


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Solved")
    BLOCKED = "blocked", _("Cannot be done in time")


class Origin(models.TextChoices):
    KOMBIT = "kombit", _("KOMBIT")
    LOCAL = "local", _("Local task")


class TaskQuerySet(models.QuerySet):
    def for_list(self):
        """Adds the project and support system each row shows."""
        return self.select_related("project", "support_system")

    def kombit(self):
        """Tasks KOMBIT published (no municipality's local tasks)."""
        return self.filter(municipality__isnull=True)

    def visible_to(self, user):
        """KOMBIT's tasks, plus the user's municipality's own local tasks that are not deleted."""
        if not user.is_authenticated:
            return self.none()
        local = Q(municipality_id=user.municipality_id) if user.municipality_id else Q(pk__in=[])
        return self.filter(Q(municipality__isnull=True) | local, deleted_at__isnull=True)


class Task(models.Model):
    """A KLIK task as KOMBIT publishes it. Create it with services.task_publish."""

    class Kind(models.TextChoices):
        BASIS = "basis", _("Basis task")
        SOLUTION = "solution", _("Solution-specific task")
        PROGRAMME = "programme", _("Programme task")

    title = models.CharField(_("title"), max_length=300, validators=[validate_xml_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_xml_text])
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("Empty for programme tasks that span projects."),
    )
    support_system = models.ForeignKey(
        SupportSystem,
        verbose_name=_("support system"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    interfaces = models.ManyToManyField(
        Interface, verbose_name=_("interfaces"), blank=True, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SOLUTION)
    published_on = models.DateField(_("published"))
    starts_on = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Empty: the published date.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    roles = models.ManyToManyField(
        Role, verbose_name=_("roles needed"), blank=True, related_name="klik_tasks"
    )
    klik_reference = models.CharField(
        _("KLIK reference"), max_length=50, blank=True, validators=[validate_xml_text]
    )
    klik_url = models.URLField(
        _("KLIK link"),
        max_length=500,
        blank=True,
        help_text=_("The task in KOMBIT's KLIK, when it has an address."),
    )
    # A local task belongs to one municipality and is seen by it alone; KOMBIT's tasks have none.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("local task of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_tasks",
    )
    # Local tasks are deleted softly: the row and its history stay, every page leaves it out.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("KLIK task")
        verbose_name_plural = _("KLIK tasks")
        indexes = [models.Index(fields=["deadline"], name="task_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(deadline__gte=models.F("starts_on")),
                name="task_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def effective_start(self):
        """The start date, or the published date when there is none."""
        return self.starts_on or self.published_on

    @property
    def is_local(self):
        """True for a municipality's own task (not published by KOMBIT)."""
        return self.municipality_id is not None


class MunicipalityTaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks of the user's municipality (all for KOMBIT staff, none for others); local
        tasks only for their own municipality, deleted ones for nobody."""
        queryset = scope_by_municipality(self, user, "municipality_id").filter(
            task__deleted_at__isnull=True
        )
        if not user.is_authenticated or not user.municipality_id:
            # A municipality's own tasks, and any count of them, stay within it.
            queryset = queryset.filter(task__municipality__isnull=True)
        return queryset

    def of_origin(self, origin):
        """Local tasks (`Origin.LOCAL`) or KOMBIT's tasks (`Origin.KOMBIT`)."""
        return self.filter(task__municipality__isnull=origin == Origin.KOMBIT)

    def with_colour(self, today=None):
        """Adds `colour` (the KLIK traffic light on `today`) and `colour_rank` (0 = red)."""
        today = today or timezone.localdate()
        soon = today + timedelta(days=settings.KLIK_WARNING_DAYS)
        colour = Case(
            When(state=State.DONE, then=Value(Colour.GREEN.value)),
            When(klik_start__gt=today, then=Value(Colour.GREY.value)),
            When(
                Q(state=State.BLOCKED) | Q(task__deadline__lt=today), then=Value(Colour.RED.value)
            ),
            When(
                Q(responsible__isnull=True)
                | Q(executor__isnull=True)
                | Q(needs_help=True)
                | Q(state=State.NOT_STARTED, task__deadline__lte=soon),
                then=Value(Colour.YELLOW.value),
            ),
            default=Value(Colour.GREEN.value),
            output_field=CharField(max_length=6),
        )
        rank = Case(
            *[When(colour=c, then=Value(r)) for c, r in COLOUR_SEVERITY.items()],
            output_field=IntegerField(),
        )
        return (
            self.alias(klik_start=Coalesce("task__starts_on", "task__published_on"))
            .annotate(colour=colour)
            .annotate(colour_rank=rank)
        )

    def open_first(self):
        """Orders unsolved before solved, then by severity (red, yellow, green, grey), then by
        deadline with tasks without one last (needs with_colour)."""
        solved = Case(When(state=State.DONE, then=Value(1)), default=Value(0))
        return self.alias(solved_rank=solved).order_by(
            "solved_rank", "colour_rank", F("task__deadline").asc(nulls_last=True), "pk"
        )

    def for_table(self):
        """Adds the related rows a task list shows, in one query."""
        return self.select_related(
            "task__project",
            "task__support_system",
            "municipality",
            "responsible",
            "executor",
            "escalation",
        ).prefetch_related("task__interfaces")

    def for_detail(self):
        """Adds what the task page shows: related rows, interfaces, needed roles, history."""
        return (
            self.for_table()
            .select_related("updated_by__person", "escalation__escalated_by__person")
            .prefetch_related(
                "task__roles",
                models.Prefetch(
                    "changes",
                    queryset=MunicipalityTaskChange.objects.select_related("changed_by__person"),
                ),
            )
        )

    def colour_counts(self):
        """One aggregate query: {colour: count} for every colour, zeros included."""
        counts = self.order_by().aggregate(
            **{c: Count("pk", filter=Q(colour=c)) for c in Colour.values}
        )
        return {c: counts[c] or 0 for c in Colour.values}

    def colour_counts_by(self, *fields):
        """One aggregate query: a row per value of `fields` with a count per colour."""
        return (
            self.order_by()
            .values(*fields)
            .annotate(**{c: Count("pk", filter=Q(colour=c)) for c in Colour.values})
            .order_by(*fields)
        )

    def colour_tallies(self, stalled_since):
        """One aggregate query: a row per municipality id and project id with a count per
        colour and `stalled`, its red and yellow tasks unchanged since `stalled_since`."""
        stalled = Q(colour__in=[Colour.RED, Colour.YELLOW], updated_at__lte=stalled_since)
        return (
            self.order_by()
            .values("municipality_id", "task__project_id")
            .annotate(
                **{c: Count("pk", filter=Q(colour=c)) for c in Colour.values},
                stalled=Count("pk", filter=stalled),
            )
        )

    def for_infrastructure(self):
        """Tasks that concern the shared infrastructure (a support system is set)."""
        return self.filter(task__support_system__isnull=False)

    def open_for_person(self, person, viewer=None):
        """Unsolved tasks of the person's municipality where they are responsible or executor;
        a municipality's local tasks only when `viewer` (if given) is of that municipality."""
        queryset = self
        if viewer is not None and viewer.municipality_id != person.municipality_id:
            queryset = queryset.filter(task__municipality__isnull=True)
        return (
            queryset.filter(municipality_id=person.municipality_id, task__deleted_at__isnull=True)
            .filter(Q(responsible=person) | Q(executor=person))
            .exclude(state=State.DONE)
            .select_related("task", "responsible", "executor")
            .order_by("task__deadline", "pk")
        )

    def to_escalate(self, stalled_since):
        """Red and yellow tasks unchanged since `stalled_since`, oldest first (needs colour)."""
        return self.filter(
            colour__in=[Colour.RED, Colour.YELLOW], updated_at__lte=stalled_since
        ).order_by("updated_at", "pk")


class MunicipalityTask(models.Model):
    """A municipality's copy of a KLIK task: who is on it and how it stands."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("KLIK task"),
        on_delete=models.CASCADE,
        related_name="municipality_tasks",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    executor = models.ForeignKey(
        Person,
        verbose_name=_("executor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="executing",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED
    )
    needs_help = models.BooleanField(_("needs help"), default=False)
    note = models.TextField(_("note"), blank=True, validators=[validate_xml_text])
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped on every save through the services; a stale form carries an old value.
    version = models.PositiveIntegerField(_("version"), default=0)
    objects = MunicipalityTaskQuerySet.as_manager()

    class Meta:
        ordering = ["task__deadline", "id"]
        verbose_name = _("municipality task")
        verbose_name_plural = _("municipality tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "municipality"],
                name="municipalitytask_unique",
                violation_error_message=_("The municipality already has this task."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "id"], name="mtask_municipality_idx"),
            models.Index(fields=["state"], name="mtask_state_idx"),
            # The dashboard's escalation list: the oldest first, stopping after ten.
            models.Index(fields=["updated_at", "id"], name="mtask_updated_idx"),
        ]

    def __str__(self):
        return f"{self.task} ({self.municipality})"

    def get_absolute_url(self):
        return reverse("klik:detail", kwargs={"pk": self.pk})

    @property
    def mark(self):
        """The task's escalation mark, or None (load `escalation` with the task)."""
        try:
            return self.escalation
        except ObjectDoesNotExist:
            return None

    def role_holders(self):
        """The municipality's current holders of the roles the task needs (for this project
        or across projects), each with `person` and `role` loaded."""
        return (
            RoleAssignment.objects.current()
            .filter(
                Q(project__isnull=True) | Q(project_id=self.task.project_id),
                role__klik_tasks=self.task_id,
                person__municipality_id=self.municipality_id,
                person__retired_on__isnull=True,
            )
            .select_related("person", "role")
            .order_by("role__name", "person__name")
        )

    def clean(self):
        errors = {}
        for field in ("responsible", "executor"):
            person = getattr(self, field)
            if person is not None and person.municipality_id != self.municipality_id:
                errors[field] = PERSON_OTHER_MUNICIPALITY
        task_municipality = self.task.municipality_id if self.task_id else None
        if task_municipality and task_municipality != self.municipality_id:
            errors["municipality"] = LOCAL_TASK_OTHER_MUNICIPALITY
        if errors:
            raise ValidationError(errors)


class Escalation(models.Model):
    """A programme leader's mark that a task is escalated: who, when, why. Its own table, so a
    municipality's copy of a task stays narrow (publishing inserts 98 of them in one batch)."""

    municipality_task = models.OneToOneField(
        MunicipalityTask,
        verbose_name=_("municipality task"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="escalation",
    )
    escalated_at = models.DateTimeField(_("escalated"), default=timezone.now)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(
        _("escalation note"), max_length=200, blank=True, validators=[validate_xml_text]
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self):
        return str(self.municipality_task)


class MunicipalityTaskChange(models.Model):
    """One changed field of a municipality task: who, when, from what, to what."""

    municipality_task = models.ForeignKey(
        MunicipalityTask,
        verbose_name=_("municipality task"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("from"), blank=True)
    new_value = models.TextField(_("to"), blank=True)
    # The task version this change produced; a stale form lists the changes after its version.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")

    # History rows that are events rather than a changed field.
    CREATED = "created"
    DELETED = "deleted"
    ATTACHMENT = "attachment"  # a municipality's own: only it sees the row
    SHARED_ATTACHMENT = "kombit_attachment"  # KOMBIT's, on every copy

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self):
        """The changed field's translated label, e.g. "responsible" → "Ansvarlig"."""
        return field_label(self.field)


def field_label(name):
    """The translated label of a task field or history event, e.g. "deadline" → "Slutdato"."""
    events = {
        MunicipalityTaskChange.CREATED: _("the local task"),
        MunicipalityTaskChange.DELETED: _("the local task"),
        MunicipalityTaskChange.ATTACHMENT: _("attachment"),
        MunicipalityTaskChange.SHARED_ATTACHMENT: _("attachment"),
    }
    if name in events:
        return capfirst(events[name])
    for model in (MunicipalityTask, Task):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # A reverse one-to-one (the escalation mark) is named by its model.
        label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
        return capfirst(label)
    return name


class SavedFilterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own saved filters and those shared with them: a programme leader's with
        their municipality, KOMBIT staff's with KOMBIT staff."""
        if not user.is_authenticated:
            return self.none()
        shared = Q(shared=True, municipality_id=user.municipality_id)
        if not user.municipality_id and not user.is_kombit_staff:
            shared = Q(pk__in=[])
        return self.filter(Q(owner=user) | shared).order_by("name", "pk")


class SavedFilter(models.Model):
    """A named query string of the KLIK list ("Gem filter"), so it keeps working as filters
    are added. Shared ones are seen by the owner's municipality (KOMBIT staff: by KOMBIT staff,
    municipality empty)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_xml_text])
    query = models.CharField(
        _("query string"), max_length=2000, blank=True, validators=[validate_xml_text]
    )
    shared = models.BooleanField(_("shared"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The KLIK list with the saved query string."""
        url = reverse("klik:list")
        return f"{url}?{self.query}" if self.query else url


class PendingImportQuerySet(models.QuerySet):
    def of(self, user):
        """The user's own uploads: a pending import is never seen by anyone else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def expired(self):
        """Uploads left unconfirmed longer than PENDING_IMPORT_HOURS (finished imports keep
        their report)."""
        cutoff = timezone.now() - timedelta(hours=PENDING_IMPORT_HOURS)
        return self.filter(status=PendingImport.Status.PENDING, created_at__lt=cutoff)


# An unconfirmed upload is deleted after this long (and on the owner's next upload).
PENDING_IMPORT_HOURS = 24


class PendingImport(models.Model):
    """An uploaded KLIK sheet between its dry run and the user's confirmation, kept in the
    database (not the browser, not the app process) and keyed to its owner. The file is
    emptied once the import is applied or cancelled; the report stays for the result page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        APPLIED = "applied", _("Imported")
        REFUSED = "refused", _("Nothing written")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="pending_imports",
    )
    # Empty for KOMBIT's catalogue; the municipality whose export comes back otherwise.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255, validators=[validate_xml_text])
    data = models.BinaryField(_("file"), blank=True)
    digest = models.CharField(
        _("report fingerprint"), max_length=64, validators=[validate_xml_text]
    )
    report = models.JSONField(_("report"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("KLIK import")
        verbose_name_plural = _("KLIK imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("klik:import_detail", args=[self.pk])


class ExportJobQuerySet(models.QuerySet):
    def for_owner(self, user):
        """The user's own export jobs whose file has not expired."""
        return self.filter(owner=user, expires_at__gt=timezone.now())

    def expired(self):
        """Jobs whose file is past its day."""
        return self.filter(expires_at__lte=timezone.now())


def export_job_path(job, filename):
    return f"exports/{job.pk}/{filename}"


class ExportJob(models.Model):
    """A large Excel export the worker makes in the background; its file is kept for a day,
    for its owner only. The id is random, so job URLs cannot be guessed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    query = models.TextField(_("query string"), blank=True, validators=[validate_xml_text])
    # The absolute URL of the task pages, without an id: the Link column's start.
    link_base = models.CharField(_("link base"), max_length=500, validators=[validate_xml_text])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_job_path, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.owner} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    def get_absolute_url(self):
        return reverse("klik:export_job", kwargs={"pk": self.pk})

    @property
    def percent(self):
        """How far the file is, 0–100."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.rows_done // self.rows_total) if self.rows_total else 0


def attachment_path(attachment, filename):
    """A random storage name: the user's file name never reaches the storage."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"klik/bilag/{uuid.uuid4().hex}{extension}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attachments to KOMBIT's tasks for every logged-in municipality user and KOMBIT staff;
        a municipality's own attachments for that municipality only."""
        if not user.is_authenticated or not (user.municipality_id or user.is_kombit_staff):
            return self.none()
        shared = Q(task__isnull=False, task__municipality__isnull=True)
        if not user.municipality_id:
            return self.filter(shared)
        own = Q(
            municipality_task__municipality_id=user.municipality_id,
            municipality_task__task__deleted_at__isnull=True,
        )
        return self.filter(shared | own)

    def for_task_page(self, municipality_task):
        """KOMBIT's attachments to the task and the municipality's own, oldest first."""
        return (
            self.filter(
                Q(task_id=municipality_task.task_id) | Q(municipality_task=municipality_task)
            )
            .select_related("uploaded_by")
            .order_by("uploaded_at", "pk")
        )


class Attachment(models.Model):
    """A document on a KLIK task: KOMBIT's on the task itself, shared with every municipality,
    or a municipality's own on its copy. Stored under a random name, served by a view."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("KLIK task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    municipality_task = models.ForeignKey(
        MunicipalityTask,
        verbose_name=_("municipality task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200, validators=[validate_xml_text])
    content_type = models.CharField(
        _("content type"), max_length=100, validators=[validate_xml_text]
    )
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=True, municipality_task__isnull=False)
                | Q(task__isnull=False, municipality_task__isnull=True),
                name="attachment_on_task_or_copy",
                violation_error_message=_("An attachment belongs to a task or to one copy."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("klik:attachment", kwargs={"pk": self.pk})

    @property
    def is_shared(self):
        """True for KOMBIT's attachments, which every municipality sees."""
        return self.task_id is not None
