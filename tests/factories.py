"""factory_boy factories for every model. Tasks are published through the service."""

import datetime

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from klik.models import MunicipalityTask, Task
from klik.services import task_publish
from portfolio.models import (
    Event,
    Interface,
    InterfaceUsage,
    Municipality,
    Project,
    SupportSystem,
    User,
)
from rollegalleri.models import Person, ProjectRole, Role, RoleAssignment


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{900 + n % 100:03d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    region = "Hovedstaden"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeLeaderFactory(UserFactory):
    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=settings.PROGRAMME_LEADER_GROUP))


class KombitStaffFactory(UserFactory):
    municipality = None

    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=settings.KOMBIT_STAFF_GROUP))


class SupportSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportSystem
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Støttesystem {n}")
    slug = factory.Sequence(lambda n: f"stoettesystem-{n}")


class InterfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interface
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SF{9000 + n}")
    name = factory.Sequence(lambda n: f"Snitflade {n}")
    support_system = factory.SubFactory(SupportSystemFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("slug",)

    short_name = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.Sequence(lambda n: f"p{n}")
    phase = Project.Phase.ROLLOUT
    rollout = Project.Rollout.BIG_BANG


class InterfaceUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterfaceUsage

    project = factory.SubFactory(ProjectFactory)
    interface = factory.SubFactory(InterfaceFactory)
    state = InterfaceUsage.State.PLANNED
    planned_year = 2019


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.WEBINAR
    title = factory.Sequence(lambda n: f"Webinar {n}")
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2030, 6, 7, 10, tzinfo=datetime.UTC))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rolle {n}")
    slug = factory.Sequence(lambda n: f"rolle-{n}")
    category = Role.Category.TECHNICAL


class ProjectRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRole

    project = factory.SubFactory(ProjectFactory)
    role = factory.SubFactory(RoleFactory)
    required = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = factory.SubFactory(RoleFactory)
    project = None
    started_on = datetime.date(2026, 1, 1)


class TaskFactory(factory.django.DjangoModelFactory):
    """Publishes the task, so every municipality that exists gets its copy."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"KLIK-opgave {n}")
    project = factory.SubFactory(ProjectFactory)
    kind = Task.Kind.SOLUTION
    published_on = datetime.date(2026, 1, 1)
    starts_on = None
    deadline = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return task_publish(task=model_class(*args, **kwargs))


def municipality_task(municipality, **task_fields):
    """Publish a task and return `municipality`'s copy of it."""
    task = TaskFactory(**task_fields)
    return MunicipalityTask.objects.get(task=task, municipality=municipality)


class ProjectLeaderFactory(UserFactory):
    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=settings.PROJECT_LEADER_GROUP))


class ReaderFactory(UserFactory):
    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=settings.READER_GROUP))


class KlikAdministratorFactory(ProgrammeLeaderFactory):
    """A programme leader who also administers the municipality's logins."""

    @factory.post_generation
    def administrator(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=settings.KLIK_ADMIN_GROUP))
