"""Every form and filterset takes its widgets' DKFDS classes from portfolio/widgets.py."""

import pytest
from django.test import RequestFactory

from klik.filters import KlikFilterSet
from klik.forms import MunicipalityTaskForm
from klik.models import MunicipalityTask
from overblik.filters import OverviewFilter
from portfolio.forms import LoginForm
from rollegalleri.filters import PersonFilter, StaffingFilter
from rollegalleri.forms import PersonForm, RoleAssignmentForm
from rollegalleri.models import ProjectRole
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

DKFDS_CLASSES = {"form-input", "form-select", "form-checkbox", "form-radio"}


def assert_dkfds(form):
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        classes = set(field.widget.attrs.get("class", "").split())
        assert classes & DKFDS_CLASSES, f"{type(form).__name__}.{name} has no DKFDS class"


def test_every_form_has_dkfds_widgets(naestved):
    mt = MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)
    for form in (PersonForm(), RoleAssignmentForm(), MunicipalityTaskForm(municipality_task=mt)):
        assert_dkfds(form)
    assert_dkfds(LoginForm())


def test_every_filterset_has_dkfds_widgets(kombit):
    request = RequestFactory().get("/")
    request.user = kombit
    assert_dkfds(
        KlikFilterSet(data={}, queryset=MunicipalityTask.objects.all(), request=request).form
    )
    assert_dkfds(StaffingFilter(data={}, queryset=ProjectRole.objects.all(), request=request).form)
    for filterset in (OverviewFilter, PersonFilter):
        assert_dkfds(filterset(data={}, request=request).form)
