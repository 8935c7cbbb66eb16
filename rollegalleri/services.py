"""Writes that carry the role gallery's rules: persons and who holds which role."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Municipality, Project

from .models import (
    ASSIGNMENT_DUPLICATE,
    ASSIGNMENT_DUPLICATE_ACROSS,
    PERSON_OTHER_MUNICIPALITY,
    PERSON_RETIRED,
    Person,
    Role,
    RoleAssignment,
)

# person_update's default for `user`: leave the person's login link as it is.
KEEP = object()

ASSIGNMENT_ALREADY_ENDED = _("The assignment has already ended.")
PERSON_ALREADY_RETIRED = _("The person has already retired.")


def person_create(
    *,
    municipality: Municipality,
    name: str,
    email: str = "",
    job_title: str = "",
    department: str = "",
    user=None,
) -> Person:
    """Create a person of `municipality`, optionally linked to their login `user`."""
    person = Person(
        municipality=municipality,
        name=name,
        email=email,
        job_title=job_title,
        department=department,
        user=user,
    )
    person.full_clean()
    person.save()
    return person


def person_update(
    *,
    person: Person,
    name: str,
    email: str = "",
    job_title: str = "",
    department: str = "",
    user=KEEP,
) -> Person:
    """Change a person's name, contact details and login (kept unless `user` is given); the
    municipality never changes."""
    person.name, person.email = name, email
    person.job_title, person.department = job_title, department
    if user is not KEEP:
        person.user = user
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_retire(*, person: Person, retired_on: datetime.date | None = None) -> list:
    """Retire a person and end their current assignments (history stays).

    Returns the open KLIK tasks where the person is still responsible or executor, so the
    caller can warn and list them: those tasks need someone else.
    """
    if person.retired_on is not None:
        raise ValidationError(PERSON_ALREADY_RETIRED)
    retired_on = retired_on or timezone.localdate()
    for assignment in person.assignments.current():
        role_assignment_end(assignment=assignment, ended_on=retired_on)
    person.retired_on = retired_on
    person.full_clean()
    person.save(update_fields=["retired_on"])
    return list(person.open_klik_tasks())


def role_assignment_create(
    *,
    municipality: Municipality,
    person: Person,
    role: Role,
    project: Project | None = None,
    started_on: datetime.date | None = None,
    primary: bool = False,
) -> RoleAssignment:
    """Give `person` the role for `project` (or across projects when None); `primary` marks
    them the addressee of the role's mail where several hold it.

    Refuses a person of another municipality, a retired person and a duplicate of a current
    assignment, each with its module-constant message.
    """
    if person.municipality_id != municipality.pk:
        raise ValidationError({"person": PERSON_OTHER_MUNICIPALITY})
    if person.retired_on is not None:
        raise ValidationError({"person": PERSON_RETIRED})
    duplicate = ASSIGNMENT_DUPLICATE if project else ASSIGNMENT_DUPLICATE_ACROSS
    current = RoleAssignment.objects.current().filter(person=person, role=role, project=project)
    if current.exists():
        raise ValidationError(duplicate)
    assignment = RoleAssignment(
        person=person,
        role=role,
        project=project,
        started_on=started_on or timezone.localdate(),
        primary=primary,
    )
    assignment.full_clean(validate_constraints=False)
    try:
        # The partial unique constraints catch a duplicate made by a concurrent request.
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return assignment


def role_assignment_end(
    *, assignment: RoleAssignment, ended_on: datetime.date | None = None
) -> RoleAssignment:
    """End an assignment on `ended_on` (today by default). The row stays as history."""
    if assignment.ended_on is not None:
        raise ValidationError(ASSIGNMENT_ALREADY_ENDED)
    # An assignment that starts in the future ends the day it would have started.
    assignment.ended_on = max(ended_on or timezone.localdate(), assignment.started_on)
    assignment.full_clean()
    assignment.save(update_fields=["ended_on"])
    return assignment
