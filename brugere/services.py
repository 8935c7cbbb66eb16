"""Writes of the municipality's user administration: logins, their role, person and access."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from rollegalleri.models import Person

User = get_user_model()


class Role(models.TextChoices):
    """A municipal login's role; each is a group with its permissions (portfolio/groups.py)."""

    PROGRAMME_LEADER = "programme_leader", _("Programme leader")
    PROJECT_LEADER = "project_leader", _("Project leader")
    READER = "reader", _("Reader")


ROLE_GROUPS = {
    Role.PROGRAMME_LEADER: settings.PROGRAMME_LEADER_GROUP,
    Role.PROJECT_LEADER: settings.PROJECT_LEADER_GROUP,
    Role.READER: settings.READER_GROUP,
}
ADMIN_PERMISSIONS = ("portfolio.add_user", "portfolio.change_user")

NOT_AN_ADMINISTRATOR = _("Only a municipality's KLIK-administrator manages its users.")
OTHER_MUNICIPALITY = _("You can only manage your own municipality's users.")
PERSON_OTHER_MUNICIPALITY = _("Choose a person from your own municipality.")
PERSON_TAKEN = _("This person is already linked to another login.")
NOT_YOURSELF = _("You cannot deactivate yourself or take away your own administration.")
NO_EMAIL = _("The user has no e-mail address to send the link to.")
INACTIVE = _("The user is deactivated; activate them before sending a link.")


def is_administrator(user) -> bool:
    """Whether `user` administers the logins of their municipality."""
    return bool(user.is_authenticated and user.municipality_id) and user.has_perms(
        ADMIN_PERMISSIONS
    )


def role_of(user) -> str | None:
    """The user's role (a Role value) from their groups (prefetched groups cost no query)."""
    names = {group.name for group in user.groups.all()}
    return next((role for role, group in ROLE_GROUPS.items() if group in names), None)


def holds_admin(user) -> bool:
    """Whether the user is in the KLIK-administrator group."""
    return any(group.name == settings.KLIK_ADMIN_GROUP for group in user.groups.all())


def _check(by, user=None):
    if not is_administrator(by):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)
    if user is not None and user.municipality_id != by.municipality_id:
        raise PermissionDenied(OTHER_MUNICIPALITY)


def _link_person(*, user, person):
    """Link `person` (or nobody) to `user`, within the user's municipality."""
    if person is not None:
        if person.municipality_id != user.municipality_id:
            raise ValidationError({"person": PERSON_OTHER_MUNICIPALITY})
        if person.user_id not in (None, user.pk):
            raise ValidationError({"person": PERSON_TAKEN})
    Person.objects.filter(user=user).exclude(pk=getattr(person, "pk", None)).update(user=None)
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])


def _set_groups(*, user, role, is_administrator):
    wanted = [ROLE_GROUPS[Role(role)]] + ([settings.KLIK_ADMIN_GROUP] if is_administrator else [])
    managed = [*ROLE_GROUPS.values(), settings.KLIK_ADMIN_GROUP]
    user.groups.remove(*Group.objects.filter(name__in=managed).exclude(name__in=wanted))
    user.groups.add(*Group.objects.filter(name__in=wanted))


@transaction.atomic
def user_create(
    *,
    by,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    is_administrator: bool = False,
    person=None,
) -> User:
    """Create a login of `by`'s municipality with `role`, linked to `person`; it has no
    password until its owner sets one through the link (user_password_link_send)."""
    _check(by)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        municipality_id=by.municipality_id,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_groups(user=user, role=role, is_administrator=is_administrator)
    _link_person(user=user, person=person)
    return user


@transaction.atomic
def user_update(
    *,
    by,
    user,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    is_administrator: bool = False,
    is_active: bool = True,
    person=None,
) -> User:
    """Change a login of `by`'s municipality. Deactivating keeps the login and everything it
    did; it can no longer sign in. Nobody deactivates or un-administers themselves."""
    _check(by, user)
    if user.pk == by.pk and not (is_active and is_administrator):
        raise ValidationError(NOT_YOURSELF)
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    _set_groups(user=user, role=role, is_administrator=is_administrator)
    _link_person(user=user, person=person)
    return user


def user_password_link_send(*, by, user, base_url: str) -> None:
    """E-mail `user` a link to set their password (Django's password reset token), valid for
    PASSWORD_RESET_TIMEOUT. `base_url` is the site's own address, e.g. "https://host"."""
    _check(by, user)
    if not user.email:
        raise ValidationError(NO_EMAIL)
    if not user.is_active:
        raise ValidationError(INACTIVE)
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "by": by, "link": f"{base_url}{path}"}
    subject = render_to_string("brugere/password_set_subject.txt", context).strip()
    body = render_to_string("brugere/password_set_email.txt", context)
    send_mail(subject, body, None, [user.email])
