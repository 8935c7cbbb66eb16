"""One rule for who may change a municipality task, asked by the task page, the service and the
admin alike: the municipality's own users and superusers may, KOMBIT staff and other
municipalities' users may not."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from klik.models import MunicipalityTask
from klik.services import may_change, municipality_task_update
from tests.klik.test_detail import form_data

pytestmark = pytest.mark.django_db

WHO_MAY_CHANGE = [
    ("leader", True),
    ("other_leader", False),
    ("kombit", False),
    ("admin_user", True),
]


@pytest.fixture(params=WHO_MAY_CHANGE, ids=[name for name, _ in WHO_MAY_CHANGE])
def case(request, make_task):
    """(user, whether the rule lets them change it, a Næstved task)."""
    name, allowed = request.param
    return request.getfixturevalue(name), allowed, make_task()


def test_the_rule_lets_the_own_municipality_and_superusers_change_a_task(case):
    user, allowed, mt = case
    assert may_change(user, mt) is allowed


def test_the_task_page_offers_the_form_exactly_to_those_the_rule_allows(client, case):
    user, allowed, mt = case
    client.force_login(user)
    response = client.get(mt.get_absolute_url())
    if user.municipality_id not in (None, mt.municipality_id):
        assert response.status_code == 404  # another municipality's task is not there at all
        return
    assert response.status_code == 200
    assert ('<form method="post" class="klik-edit"' in response.content.decode()) is allowed


def test_the_task_page_saves_exactly_for_those_the_rule_allows(client, case):
    user, allowed, mt = case
    client.force_login(user)
    response = client.post(mt.get_absolute_url(), form_data(mt, note="Ændret"))
    mt.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert mt.note == "Ændret" and mt.version == 1
    else:
        assert response.status_code in (403, 404)
        assert mt.note == "" and mt.version == 0


def test_the_service_refuses_exactly_those_the_rule_refuses(case):
    user, allowed, mt = case
    change = {"municipality_task": mt, "user": user, "data": {"note": "Ændret"}, "version": 0}
    if allowed:
        assert municipality_task_update(**change)
    else:
        with pytest.raises(PermissionDenied):
            municipality_task_update(**change)
    mt.refresh_from_db()
    assert (mt.note == "Ændret") is allowed


def test_the_admin_grants_change_exactly_to_those_the_rule_allows(case):
    user, allowed, mt = case
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[MunicipalityTask]
    assert model_admin.has_change_permission(request, mt) is allowed
