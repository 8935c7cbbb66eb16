"""Queries the rest of the app builds on: who holds a KLIK task's roles, national staffing."""

import datetime

from rollegalleri.models import Person, ProjectRole
from tests.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RoleAssignmentFactory,
    RoleFactory,
    TaskFactory,
)


def test_role_match_finds_the_active_persons_of_the_municipality_with_a_needed_role(
    naestved, hoersholm
):
    bbr, flis = ProjectFactory(), ProjectFactory()
    tekniker, superbruger, other = RoleFactory(), RoleFactory(), RoleFactory()
    task = TaskFactory(project=bbr)
    task.roles.set([tekniker, superbruger])
    across = PersonFactory(municipality=naestved, name="B across")
    RoleAssignmentFactory(person=across, role=tekniker)
    for_bbr = PersonFactory(municipality=naestved, name="A for BBR")
    RoleAssignmentFactory(person=for_bbr, role=superbruger, project=bbr)
    for_flis = PersonFactory(municipality=naestved, name="C for FLIS")
    RoleAssignmentFactory(person=for_flis, role=tekniker, project=flis)
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=other)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved),
        role=tekniker,
        ended_on=datetime.date(2026, 2, 1),
    )
    retired = PersonFactory(municipality=naestved, retired_on=datetime.date(2026, 2, 1))
    RoleAssignmentFactory(person=retired, role=tekniker)
    RoleAssignmentFactory(person=PersonFactory(municipality=hoersholm), role=tekniker)

    roles = task.roles.all()

    def holders(project=None):
        persons = Person.objects.filter(municipality=naestved).active()
        matched = persons.with_role_match(roles, project).filter(holds_role=True)
        return list(matched.order_by("name"))

    assert holders(project=bbr) == [for_bbr, across]
    assert holders() == [for_bbr, across, for_flis]


def test_with_role_match_orders_a_choice_with_the_role_holders_first(naestved):
    role = RoleFactory()
    holder = PersonFactory(municipality=naestved, name="Zara")
    RoleAssignmentFactory(person=holder, role=role)
    PersonFactory(municipality=naestved, name="Adam")
    ordered = Person.objects.with_role_match([role]).order_by("-holds_role", "name")
    assert [p.name for p in ordered] == ["Zara", "Adam"]


def test_staffed_municipalities_counts_each_municipality_once(naestved, hoersholm):
    MunicipalityFactory()
    bbr, role = ProjectFactory(), RoleFactory()
    ProjectRoleFactory(project=bbr, role=role)
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=role, project=bbr)
    RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=role)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=hoersholm), role=role, project=ProjectFactory()
    )
    project_role = ProjectRole.objects.with_national_staffing(3).get()
    assert project_role.staffed_municipalities == 1
    assert project_role.is_staffed is False
