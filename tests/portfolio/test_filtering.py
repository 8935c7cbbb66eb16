"""portfolio.filtering: the one policy for bad filter values and for another municipality."""

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, QueryDict
from django.test import RequestFactory
from django.utils import translation

from portfolio.filtering import (
    NO_ROWS,
    NO_ROWS_REASON,
    MunicipalityFilter,
    check_scope,
    filter_errors,
    filtered,
    municipality_choices,
    refuse_foreign_ids,
    refuse_other_municipality,
)
from portfolio.models import Municipality

pytestmark = pytest.mark.django_db


class MunicipalityNameFilter(django_filters.FilterSet):
    """A filterset of the shape every list page has: a scoped filter and a plain one."""

    municipality = MunicipalityFilter(method="filter_municipality")
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=5, label="name"
    )

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(pk=value.pk)


def request_of(user, query=""):
    request = RequestFactory().get(f"/?{query}")
    request.user = user
    return request


def filterset_for(user, query=""):
    request = request_of(user, query)
    return request, MunicipalityNameFilter(
        request.GET, queryset=Municipality.objects.order_by("code"), request=request
    )


def test_kombit_staff_may_choose_every_municipality_others_their_own_or_none(
    leader, kombit, naestved, hoersholm
):
    assert list(municipality_choices(request_of(kombit))) == [hoersholm, naestved]
    assert list(municipality_choices(request_of(leader))) == [naestved]
    assert list(municipality_choices(request_of(AnonymousUser()))) == []


def test_a_municipal_user_naming_another_municipality_gets_404(leader, hoersholm):
    for query in ["municipality=223", "municipality=999", "municipality=abc"]:
        request, filterset = filterset_for(leader, query)
        with pytest.raises(Http404):
            check_scope(request, filterset)


def test_a_municipal_user_naming_their_own_municipality_is_fine(leader, hoersholm):
    request, filterset = filterset_for(leader, "municipality=370")
    check_scope(request, filterset)
    assert list(filtered(filterset)) == [leader.municipality]


def test_a_bad_value_of_an_unscoped_filter_is_no_404_but_lists_nothing(leader, hoersholm):
    request, filterset = filterset_for(leader, "name=toolong")
    check_scope(request, filterset)
    assert list(filtered(filterset)) == []


def test_kombit_staff_may_name_any_municipality(kombit, naestved, hoersholm):
    request, filterset = filterset_for(kombit, "municipality=223")
    check_scope(request, filterset)
    assert list(filtered(filterset)) == [hoersholm]


def test_an_unknown_code_is_a_bad_value_for_kombit_staff_with_no_rows(kombit, naestved):
    request, filterset = filterset_for(kombit, "municipality=999")
    check_scope(request, filterset)
    assert list(filtered(filterset)) == []
    with translation.override("da"):
        assert filterset.form.errors["municipality"] == [
            "Der findes ingen kommune med koden “999”."
        ]


def test_a_malformed_code_never_reaches_the_database_and_is_echoed_short(
    kombit, naestved, django_assert_num_queries
):
    request, filterset = filterset_for(kombit, "municipality=" + "9" * 10_000 + "%00")
    assert filterset.form  # the choices are the user's (one query for KOMBIT staff's groups)
    with django_assert_num_queries(0):
        assert not filterset.is_valid()
    [message] = filterset.form.errors["municipality"]
    assert "9" * 10 in message and "9" * 11 not in message


def test_an_unfiltered_or_valid_query_has_no_errors_to_report(kombit, naestved):
    assert filter_errors(filterset_for(kombit)[1]) == []
    assert filter_errors(filterset_for(kombit, "municipality=370&name=n")[1]) == []


def test_the_reason_for_an_empty_export_names_each_bad_field(kombit, naestved):
    _, filterset = filterset_for(kombit, "municipality=999&name=toolong")
    with translation.override("da"):
        rows = [(str(label), str(text)) for label, text in filter_errors(filterset)]
        assert rows[0] == (str(NO_ROWS), str(NO_ROWS_REASON))
        assert [label for label, _ in rows[1:]] == ["Fejl i Kommune", "Fejl i name"]


def test_the_dashboard_rule_refuses_another_code_for_a_municipal_user(leader, kombit):
    refuse_other_municipality(request_of(leader, "municipality=370"))
    refuse_other_municipality(request_of(leader, "municipality="))
    refuse_other_municipality(request_of(kombit, "municipality=223"))
    for query in ["municipality=223", "municipality=370&municipality=223"]:
        with pytest.raises(Http404):
            refuse_other_municipality(request_of(leader, query))


def test_an_id_of_another_municipality_in_a_form_is_a_404_an_unknown_one_is_not(
    leader, other_leader
):
    users = get_user_model().objects.all()
    own = leader.municipality_id
    refuse_foreign_ids(
        QueryDict(f"who={leader.pk}&who=999999&who=9" + "9" * 30), ["who"], users, own
    )
    with pytest.raises(Http404):
        refuse_foreign_ids(QueryDict(f"who={other_leader.pk}"), ["who"], users, own)
