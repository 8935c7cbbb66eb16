"""Each filter of /klik/ alone and combined, and the colours partitioning the list."""

import pytest

from klik.models import Colour, State
from tests.factories import (
    InterfaceFactory,
    PersonFactory,
    ProjectFactory,
    SupportSystemFactory,
)
from tests.filtering import errors_at, marked_fields, says_nothing_is_listed, typed_value
from tests.klik.conftest import DAY, today
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


def test_status_filter_lists_only_tasks_of_that_colour(leader_client, rainbow):
    for colour in Colour.values:
        shown = listed(leader_client.get("/klik/", {"status": colour}))
        assert sorted(shown) == sorted(mt.pk for mt in rainbow[colour])


def test_several_status_values_are_ored(leader_client, rainbow):
    shown = listed(leader_client.get("/klik/?status=red&status=grey"))
    assert sorted(shown) == sorted(mt.pk for mt in rainbow["red"] + rainbow["grey"])


def test_the_four_colour_filters_partition_the_list(leader_client, rainbow, make_task):
    helped = make_task(Colour.GREEN, title="extra")
    helped.needs_help = True
    helped.save()
    everything = listed(leader_client.get("/klik/"))
    parts = [listed(leader_client.get("/klik/", {"status": c})) for c in Colour.values]
    assert sorted(pk for part in parts for pk in part) == sorted(everything)
    assert sum(len(part) for part in parts) == len(set(everything))


def test_project_filter_takes_slugs_and_is_repeatable(leader_client, make_task):
    bbr, dar, ksd = (ProjectFactory(slug=s, short_name=s.upper()) for s in ("bbr", "dar", "ksd"))
    a, b, _c = make_task(project=bbr), make_task(project=dar), make_task(project=ksd)
    assert listed(leader_client.get("/klik/?project=bbr")) == [a.pk]
    assert sorted(listed(leader_client.get("/klik/?project=bbr&project=dar"))) == [a.pk, b.pk]


def test_support_system_filter_takes_the_slug(leader_client, make_task):
    sts = SupportSystemFactory(slug="sts-adgangsstyring", name="STS Adgangsstyring")
    mt = make_task(support_system=sts)
    make_task()
    assert listed(leader_client.get("/klik/?support_system=sts-adgangsstyring")) == [mt.pk]


def test_interface_filter_takes_the_code(leader_client, make_task):
    sf1511 = InterfaceFactory(code="SF1511")
    mt = make_task()
    mt.task.interfaces.add(sf1511, InterfaceFactory(code="SF1512"))
    make_task().task.interfaces.add(InterfaceFactory(code="SF1514"))
    assert listed(leader_client.get("/klik/?interface=SF1511")) == [mt.pk]


def test_state_filter(leader_client, make_task):
    done = make_task(Colour.GREEN)
    done.state = State.DONE
    done.save()
    make_task(Colour.GREEN)
    assert listed(leader_client.get("/klik/?state=done")) == [done.pk]


def test_deadline_range_includes_both_ends(leader_client, make_task):
    early = make_task(deadline=today() + 20 * DAY)
    middle = make_task(deadline=today() + 30 * DAY)
    late = make_task(deadline=today() + 40 * DAY)
    after = (today() + 30 * DAY).isoformat()
    before = (today() + 30 * DAY).isoformat()
    assert sorted(listed(leader_client.get("/klik/", {"deadline_after": after}))) == sorted(
        [middle.pk, late.pk]
    )
    assert sorted(listed(leader_client.get("/klik/", {"deadline_before": before}))) == sorted(
        [early.pk, middle.pk]
    )
    both = {"deadline_after": after, "deadline_before": before}
    assert listed(leader_client.get("/klik/", both)) == [middle.pk]


@pytest.mark.parametrize(
    "field, query",
    [
        ("title", "brugeradministration"),
        ("description", "Serviceplatformen"),
        ("project short name", "bbr"),
        ("project full name", "bygnings- og boligregistret"),
        ("responsible", "jensen"),
        ("executor", "hansen"),
    ],
)
def test_free_text_search_looks_in_every_named_field(
    leader_client, make_task, naestved, field, query
):
    project = ProjectFactory(slug="bbr", short_name="BBR", name="Bygnings- og Boligregistret")
    mt = make_task(
        title="Opsæt Brugeradministration",
        description="Tilslut Serviceplatformen",
        project=project,
    )
    mt.responsible = PersonFactory(municipality=naestved, name="Anna Jensen")
    mt.executor = PersonFactory(municipality=naestved, name="Bo Hansen")
    mt.save()
    make_task(title="Noget helt andet")
    assert listed(leader_client.get("/klik/", {"q": query})) == [mt.pk]


def test_filters_combine(leader_client, make_task):
    bbr = ProjectFactory(slug="bbr")
    hit = make_task(Colour.RED, project=bbr, title="Find mig")
    make_task(Colour.RED, project=bbr, title="Ikke mig")
    make_task(Colour.YELLOW, project=bbr, title="Find mig også")
    make_task(Colour.RED, title="Find mig ikke i andet projekt")
    shown = listed(leader_client.get("/klik/?status=red&project=bbr&q=find+mig&state=in_progress"))
    assert shown == [hit.pk]


def test_municipality_filter_is_for_kombit_staff(kombit_client, naestved, hoersholm, make_task):
    mt = make_task(municipality=hoersholm)
    shown = listed(kombit_client.get("/klik/?municipality=223"))
    assert shown == [mt.pk]
    assert len(listed(kombit_client.get("/klik/"))) == 2  # the task's two municipality copies


# Issue 8: this parameter used to be silently ignored for municipal users; now naming another
# municipality answers 404, as on every other page.
@pytest.mark.parametrize("code", ["223", "999", "abc", "%00", "370&municipality=223"])
def test_a_programme_leader_naming_another_municipality_gets_404(
    leader_client, hoersholm, make_task, code
):
    make_task()
    assert leader_client.get(f"/klik/?municipality={code}").status_code == 404


def test_a_programme_leader_naming_their_own_municipality_sees_the_same_rows(
    leader_client, hoersholm, make_task
):
    own = make_task()
    response = leader_client.get("/klik/?municipality=370")
    assert listed(response) == listed(leader_client.get("/klik/")) == [own.pk]
    assert not marked_fields(response)
    assert 'name="municipality"' not in response.content.decode()  # KOMBIT staff's choice


def test_kombit_staff_naming_an_unknown_municipality_see_it_at_the_field_and_no_rows(
    kombit_client, naestved, make_task
):
    make_task()
    response = kombit_client.get("/klik/?municipality=999")
    assert listed(response) == []
    assert errors_at(response, "municipality") == ["Der findes ingen kommune med koden “999”."]
    assert marked_fields(response) == ["municipality"]
    assert says_nothing_is_listed(response)


@pytest.mark.parametrize(
    "query, field",
    [
        ("deadline_after=2026-02-30", "deadline_after"),
        ("deadline_before=yesterday&status=red", "deadline_before"),
        ("q=%00", "q"),
    ],
)
def test_a_bad_value_is_shown_at_its_field_keeps_what_was_typed_and_lists_nothing(
    leader_client, rainbow, query, field
):
    response = leader_client.get(f"/klik/?{query}")
    assert listed(response) == []
    assert marked_fields(response) == [field]
    assert errors_at(response, field)
    typed = response.wsgi_request.GET[field]
    assert typed_value(response, field) == typed.replace("\x00", "\ufffd")
    assert says_nothing_is_listed(response)


def test_project_choices_and_facets_follow_the_user(leader_client, make_task, hoersholm):
    make_task(Colour.GREEN, municipality=hoersholm)  # Næstved's copy is unstaffed: yellow
    counts = {f["colour"]: f["count"] for f in leader_client.get("/klik/").context["facets"]}
    assert counts == {"red": 0, "yellow": 1, "green": 0, "grey": 0}
