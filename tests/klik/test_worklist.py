"""The programme leader's work list on /klik/: open work first, "Løst", and whose task it is."""

import re

import pytest

from klik.models import Colour, MunicipalityTask, State
from tests.factories import PersonFactory
from tests.klik.conftest import DAY, today
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


def solve(mt):
    mt.state = State.DONE
    mt.save()
    return mt


def test_the_default_order_puts_open_work_first_by_severity_then_deadline(leader_client, make_task):
    solved_long_ago = solve(make_task(Colour.GREEN, deadline=today() - 3000 * DAY))
    solved_no_deadline = solve(make_task(Colour.GREEN, deadline=None))
    grey = make_task(Colour.GREY)
    green_late = make_task(Colour.GREEN, deadline=today() + 90 * DAY)
    green_none = make_task(Colour.GREEN, deadline=None)
    green_soon = make_task(Colour.GREEN, deadline=today() + 30 * DAY)
    yellow_none = make_task(Colour.YELLOW, deadline=None)
    yellow = make_task(Colour.YELLOW)
    red_old = make_task(Colour.RED, deadline=today() - 30 * DAY)
    red = make_task(Colour.RED)
    assert listed(leader_client.get("/klik/")) == [
        red_old.pk,
        red.pk,
        yellow.pk,
        yellow_none.pk,
        green_soon.pk,
        green_late.pk,
        green_none.pk,
        grey.pk,
        solved_long_ago.pk,
        solved_no_deadline.pk,
    ]


def test_the_export_keeps_the_default_order(leader_client, make_task):
    from tests.klik.helpers import exported_links

    solve(make_task(Colour.GREEN, deadline=today() - 3000 * DAY))
    make_task(Colour.GREEN, deadline=None)
    make_task(Colour.RED)
    assert exported_links(leader_client.get("/klik/eksport.xlsx")) == listed(
        leader_client.get("/klik/")
    )


def test_a_solved_task_shows_a_losst_chip_but_stays_green(leader_client, make_task):
    solved = solve(make_task(Colour.GREEN))
    on_track = make_task(Colour.GREEN)
    html = leader_client.get("/klik/").content.decode()
    assert re.search(
        rf'<tr data-colour="green" data-task="{solved.pk}".*?'
        r'klik-chip klik-green" data-solved><span class="klik-icon" aria-hidden="true">✔✔</span>'
        r" Løst",
        html,
        re.S,
    )
    assert re.search(
        rf'<tr data-colour="green" data-task="{on_track.pk}".*?'
        r'klik-chip klik-green"><span class="klik-icon" aria-hidden="true">✔</span> Grøn',
        html,
        re.S,
    )
    assert listed(leader_client.get("/klik/?status=green")) == [on_track.pk, solved.pk]
    page = leader_client.get(f"/klik/{solved.pk}/").content.decode()
    assert "data-solved" in page and "Løst</span>" in page


def test_state_open_lists_every_state_but_solved(leader_client, make_task):
    open_ = {make_task(Colour.RED).pk, make_task(Colour.YELLOW).pk}
    blocked = make_task(Colour.GREEN)
    blocked.state = State.BLOCKED
    blocked.save()
    not_started = make_task(Colour.GREEN)
    not_started.state = State.NOT_STARTED
    not_started.save()
    solved = solve(make_task(Colour.GREEN))
    open_ |= {blocked.pk, not_started.pk}
    assert set(listed(leader_client.get("/klik/?state=open"))) == open_
    assert set(listed(leader_client.get("/klik/?state=done"))) == {solved.pk}
    assert set(listed(leader_client.get("/klik/?state=done&state=blocked"))) == {
        solved.pk,
        blocked.pk,
    }
    assert len(listed(leader_client.get("/klik/"))) == 5


def test_a_bad_state_is_a_danish_error_not_an_unfiltered_list(leader_client, make_task):
    make_task()
    response = leader_client.get("/klik/?state=closed")
    assert listed(response) == []
    assert "closed er ikke en af de tilgængelige valgmuligheder." in response.content.decode()


def test_the_project_filter_shows_every_project_as_a_checkbox(leader_client, make_task):
    from tests.factories import ProjectFactory

    for n in range(12):
        make_task(project=ProjectFactory(slug=f"p{n:02d}", short_name=f"P{n:02d}"))
    html = leader_client.get("/klik/").content.decode()
    assert len(re.findall(r'<input type="checkbox" name="project"', html)) == 12


def test_no_parameters_still_list_every_task(leader_client, make_task, naestved):
    for colour in Colour:
        make_task(colour)
    solve(make_task())
    PersonFactory(municipality=naestved)
    assert (
        len(listed(leader_client.get("/klik/")))
        == MunicipalityTask.objects.filter(municipality=naestved).count()
    )


@pytest.fixture
def people(naestved):
    return {
        "anna": PersonFactory(municipality=naestved, name="Anna"),
        "bo": PersonFactory(municipality=naestved, name="Bo"),
    }


def staff(mt, responsible=None, executor=None):
    mt.responsible, mt.executor = responsible, executor
    mt.save()
    return mt


def test_responsible_and_executor_filters_take_a_person_id(leader_client, make_task, people):
    anna, bo = people["anna"], people["bo"]
    a = staff(make_task(), anna, bo)
    b = staff(make_task(), bo, anna)
    staff(make_task(), bo, bo)
    assert listed(leader_client.get(f"/klik/?responsible={anna.pk}")) == [a.pk]
    assert listed(leader_client.get(f"/klik/?executor={anna.pk}")) == [b.pk]
    assert listed(leader_client.get(f"/klik/?responsible={bo.pk}&executor={anna.pk}")) == [b.pk]


def test_another_municipalitys_person_in_a_filter_is_404(leader_client, make_task, hoersholm):
    stranger = PersonFactory(municipality=hoersholm)
    make_task()
    for name in ("responsible", "executor"):
        assert leader_client.get(f"/klik/?{name}={stranger.pk}").status_code == 404
        assert leader_client.get(f"/klik/eksport.xlsx?{name}={stranger.pk}").status_code == 404


def test_kombit_staff_filter_by_any_municipalitys_person(kombit_client, hoersholm, make_task):
    person = PersonFactory(municipality=hoersholm)
    mt = staff(make_task(municipality=hoersholm), person, None)
    assert listed(kombit_client.get(f"/klik/?responsible={person.pk}")) == [mt.pk]


def test_an_unknown_person_id_is_a_danish_error(leader_client, make_task):
    make_task()
    response = leader_client.get("/klik/?responsible=999999")
    assert listed(response) == []
    assert "Marker en gyldig valgmulighed" in response.content.decode()


def test_unassigned_lists_tasks_missing_responsible_or_executor(leader_client, make_task, people):
    anna = people["anna"]
    full = staff(make_task(), anna, anna)
    no_executor = staff(make_task(), anna, None)
    no_responsible = staff(make_task(), None, anna)
    nobody = staff(make_task(), None, None)
    assert set(listed(leader_client.get("/klik/?unassigned=on"))) == {
        no_executor.pk,
        no_responsible.pk,
        nobody.pk,
    }
    assert full.pk in listed(leader_client.get("/klik/?unassigned=", follow=True))


def test_mine_lists_the_tasks_of_the_users_own_person(client, leader, make_task, people):
    anna, bo = people["anna"], people["bo"]
    anna.user = leader
    anna.save()
    responsible = staff(make_task(), anna, bo)
    executor = staff(make_task(), bo, anna)
    staff(make_task(), bo, bo)
    client.force_login(leader)
    assert set(listed(client.get("/klik/?mine=on"))) == {responsible.pk, executor.pk}


def test_mine_finds_the_person_by_e_mail_until_one_is_linked(client, leader, make_task, people):
    anna, bo = people["anna"], people["bo"]
    anna.email, bo.email = "anna@example.dk", "bo@example.dk"
    anna.save()
    bo.save()
    leader.email = "Anna@Example.dk"
    leader.save()
    mt = staff(make_task(), anna, None)
    other = staff(make_task(), bo, None)
    client.force_login(leader)
    assert listed(client.get("/klik/?mine=on")) == [mt.pk]
    bo.user = leader
    bo.save()
    assert listed(client.get("/klik/?mine=on")) == [other.pk]


def test_mine_without_a_person_lists_nothing(leader_client, make_task, people):
    staff(make_task(), people["anna"], people["bo"])
    assert listed(leader_client.get("/klik/?mine=on")) == []


def test_the_navigation_links_to_my_open_tasks(client, leader, kombit, make_task):
    client.force_login(leader)
    html = client.get("/").content.decode()
    assert re.search(r'href="/klik/\?mine=on&amp;state=open"[^>]*><span>Mine opgaver</span>', html)
    client.force_login(kombit)
    assert "Mine opgaver" not in client.get("/").content.decode()
