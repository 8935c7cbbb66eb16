"""The role gallery: roles, their per-project tailoring, persons and who holds what."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portfolio.models import Municipality, Project, SupportSystem
from portfolio.scoping import scope_by_municipality
from portfolio.validators import validate_xml_text

# Error texts of the role gallery's rules; klik and the services import them from here.
PERSON_OTHER_MUNICIPALITY = _("The person belongs to another municipality.")
PERSON_RETIRED = _("A retired person cannot be given a role.")
ASSIGNMENT_DUPLICATE = _("The person already holds this role for the project.")
ASSIGNMENT_DUPLICATE_ACROSS = _("The person already holds this role across projects.")
PERSON_LOGIN_OTHER_MUNICIPALITY = _("The login belongs to another municipality.")

# Fixed paths under /roller/ that a role slug must never shadow.
RESERVED_ROLE_SLUGS = ("bemanding", "personer")


def validate_role_slug_not_reserved(value):
    """Refuses slugs that are fixed paths under /roller/."""
    if value in RESERVED_ROLE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for a page of the role gallery."),
            code="reserved",
            params={"slug": value},
        )


class Role(models.Model):
    class Category(models.TextChoices):
        ORGANISATIONAL = "organisational", _("Organisational roles")
        PROJECT = "project", _("Project/programme")
        TECHNICAL = "technical", _("Technical roles")

    class Platform(models.TextChoices):
        NONE = "", _("None")
        STS = "sts", _("STS")
        SP = "sp", _("SP")

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_xml_text])
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, validators=[validate_role_slug_not_reserved]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    headline = models.CharField(
        _("headline"), max_length=200, blank=True, validators=[validate_xml_text]
    )
    responsibility = models.TextField(
        _("responsibility"), blank=True, validators=[validate_xml_text]
    )
    tasks = models.TextField(_("tasks"), blank=True, validators=[validate_xml_text])
    competencies = models.TextField(_("competencies"), blank=True, validators=[validate_xml_text])
    platform = models.CharField(
        _("platform"), max_length=3, choices=Platform.choices, blank=True, default=""
    )
    support_systems = models.ManyToManyField(
        SupportSystem, verbose_name=_("support systems"), blank=True, related_name="roles"
    )

    class Meta:
        ordering = ["category", "position", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_ROLE_SLUGS),
                name="role_slug_not_reserved",
                violation_error_message=_("This slug is reserved for a page of the role gallery."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rollegalleri:detail", kwargs={"slug": self.slug})


class ProjectRoleQuerySet(models.QuerySet):
    def with_staffing(self, municipality):
        """Adds `is_staffed`: someone in `municipality` currently holds the role for the project
        (an assignment for that project or one across projects)."""
        holders = RoleAssignment.objects.filter(
            Q(project=OuterRef("project")) | Q(project__isnull=True),
            role=OuterRef("role"),
            person__municipality=municipality,
            person__retired_on__isnull=True,
            ended_on__isnull=True,
        )
        return self.annotate(is_staffed=Exists(holders))

    def unstaffed_for(self, municipality):
        """Required project roles nobody in `municipality` holds: the gallery's risks."""
        return self.filter(required=True).with_staffing(municipality).filter(is_staffed=False)

    def for_matrix(self):
        """Adds the project and role each matrix cell shows, in matrix order."""
        return self.select_related("project", "role").order_by(
            "role__category", "role__position", "role__name", "project__short_name"
        )

    def with_staffed_municipalities(self):
        """Adds `staffed_municipalities`: how many municipalities have someone holding the role
        for the project (or across projects). One subquery, whatever the number of rows."""
        staffed = (
            RoleAssignment.objects.filter(
                Q(project=OuterRef("project")) | Q(project__isnull=True),
                role=OuterRef("role"),
                person__retired_on__isnull=True,
                ended_on__isnull=True,
            )
            .order_by()
            .values("role")
            .annotate(n=Count("person__municipality", distinct=True))
            .values("n")
        )
        return self.annotate(staffed_municipalities=Coalesce(Subquery(staffed), 0))

    def with_national_staffing(self, municipality_count):
        """Adds `staffed_municipalities` and `is_staffed`: every one of the
        `municipality_count` municipalities has someone in the cell."""
        return self.with_staffed_municipalities().annotate(
            is_staffed=ExpressionWrapper(
                Q(staffed_municipalities__gte=municipality_count), output_field=BooleanField()
            )
        )


class ProjectRole(models.Model):
    """The gallery tailored to one project: which roles it needs."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="project_roles"
    )
    required = models.BooleanField(_("required"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[validate_xml_text])

    objects = ProjectRoleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "role"]
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "role"],
                name="projectrole_unique",
                violation_error_message=_("The project already has this role."),
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.role}"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Persons of the user's municipality (all for KOMBIT staff)."""
        return scope_by_municipality(self, user, "municipality_id")

    def active(self):
        """Persons not retired."""
        return self.filter(retired_on__isnull=True)

    def for_list(self):
        """Adds the municipality and, as `current_assignments`, the roles each person holds."""
        current = RoleAssignment.objects.current().select_related("role", "project")
        return self.select_related("municipality").prefetch_related(
            Prefetch("assignments", queryset=current, to_attr="current_assignments")
        )

    def of_user(self, user):
        """The person records of a login: the one linked to it, or, while none is linked, the
        persons of its municipality with its e-mail address."""
        if not user.is_authenticated or not user.municipality_id:
            return self.none()
        by_email = Q(user__isnull=True, email__iexact=user.email) if user.email else Q(pk=None)
        return self.filter(municipality_id=user.municipality_id).filter(
            Q(user=user) | (by_email & ~Exists(Person.objects.filter(user=user)))
        )

    def with_role_match(self, roles, project=None):
        """Adds `holds_role`: the person currently holds one of `roles`, for `project` or
        across projects (any project when `project` is None)."""
        held = RoleAssignment.objects.filter(
            person=OuterRef("pk"), role__in=roles, ended_on__isnull=True
        )
        if project is not None:
            held = held.filter(Q(project=project) | Q(project__isnull=True))
        return self.annotate(holds_role=Exists(held))


class Person(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_xml_text])
    email = models.EmailField(_("e-mail"), blank=True)
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_xml_text]
    )
    department = models.CharField(
        _("department"), max_length=200, blank=True, validators=[validate_xml_text]
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    # The person's own login, so "Mine opgaver" and the history know who a user is.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text=_("Empty: the municipality's login with the same e-mail address counts."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"],
                condition=~Q(email=""),
                name="person_unique_email_per_municipality",
                violation_error_message=_("A person with this e-mail already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rollegalleri:person_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.user_id and self.user.municipality_id != self.municipality_id:
            raise ValidationError({"user": PERSON_LOGIN_OTHER_MUNICIPALITY})

    def open_klik_tasks(self, viewer=None):
        """The person's open KLIK tasks (responsible or executor, not solved); for a `viewer`
        of another municipality (KOMBIT staff) without the municipality's local tasks.

        The query is KLIK's own (`open_for_person`); the role gallery sits below KLIK and
        reaches it through the reverse relation instead of importing it.
        """
        return self.responsible_for.model.objects.open_for_person(self, viewer=viewer)


class RoleAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assignments of persons in the user's municipality (all for KOMBIT staff)."""
        return scope_by_municipality(self, user, "person__municipality_id")

    def current(self):
        """Assignments that have not ended."""
        return self.filter(ended_on__isnull=True)

    def held_in(self, municipality):
        """Current assignments of the active persons of `municipality`, with person and
        project: who holds what there today."""
        return (
            self.current()
            .filter(person__municipality=municipality, person__retired_on__isnull=True)
            .select_related("person", "project")
            .order_by("person__name", "pk")
        )

    def addressees(self):
        """Current holders with an e-mail, primary holders first: for each role, mail goes to
        its primary holder, or to every holder when none is marked primary."""
        return (
            self.current()
            .filter(person__retired_on__isnull=True)
            .exclude(person__email="")
            .select_related("person", "role")
            .order_by("role_id", "-primary", "person__name", "pk")
        )

    def for_person_page(self):
        """Adds the role and project a person's assignment list shows, newest first."""
        return self.select_related("role", "project").order_by(
            "ended_on", "-started_on", "role__name", "pk"
        )


class RoleAssignment(models.Model):
    """A person holds a role, for one project or across projects (project empty)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="assignments"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        help_text=_("Empty: the person holds the role across projects."),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_("Where several hold the role, the primary holder gets the role's mail."),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "person"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # Two partial constraints, because NULL project never collides in a plain one.
            models.UniqueConstraint(
                fields=["person", "role", "project"],
                condition=Q(ended_on__isnull=True, project__isnull=False),
                name="assignment_unique_current_for_project",
                violation_error_message=ASSIGNMENT_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(ended_on__isnull=True, project__isnull=True),
                name="assignment_unique_current_across_projects",
                violation_error_message=ASSIGNMENT_DUPLICATE_ACROSS,
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        scope = self.project or _("all projects")
        return f"{self.person} – {self.role} ({scope})"

    def clean(self):
        if self.person_id and self.person.retired_on and self.ended_on is None:
            raise ValidationError({"person": PERSON_RETIRED})
