"""Bulk assignment from /klik/: confirm, then save; stale tasks refused and reported; scoping."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from klik.bulk import NO_CHANGE, NO_TASKS
from klik.models import Colour, MunicipalityTask, MunicipalityTaskChange, State
from tests.factories import PersonFactory
from tests.klik.helpers import listed
from tests.klik.test_detail import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(naestved):
    return (
        PersonFactory(municipality=naestved, name="Anna Ansvarlig"),
        PersonFactory(municipality=naestved, name="Bo Udfører"),
    )


def selection(*tasks):
    return [f"{mt.pk}:{mt.version}" for mt in tasks]


def bulk(client, tasks, confirm=False, **fields):
    data = {"bulk-tasks": tasks, "bulk-back": "status=yellow"}
    data.update({f"bulk-{name}": value for name, value in fields.items()})
    if confirm:
        data["confirm"] = "yes"
    return client.post("/klik/massevis/", data)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_list_offers_a_checkbox_per_row_carrying_its_version(leader_client, make_task):
    mt = make_task(Colour.YELLOW)
    html = leader_client.get("/klik/").content.decode()
    assert (
        f'name="bulk-tasks" value="{mt.pk}:{mt.version}" id="select-{mt.pk}" form="bulk-form"'
        in html
    )
    assert f'name="bulk-page_tasks" value="{mt.pk}:{mt.version}"' in html
    assert 'id="bulk-form"' in html and "Vælg alle på siden (1 opgave)" in html


def test_kombit_staff_get_no_bulk_form(kombit_client, make_task):
    make_task()
    html = kombit_client.get("/klik/").content.decode()
    assert 'id="bulk-form"' not in html and "bulk-tasks" not in html


def test_five_yellow_tasks_get_responsible_and_executor_and_turn_green(
    leader_client, make_task, people
):
    anna, bo = people
    tasks = [make_task(Colour.YELLOW) for _ in range(5)]
    confirm = bulk(leader_client, selection(*tasks), responsible=anna.pk, executor=bo.pk)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "5 opgaver bliver ændret" in html and "Anna Ansvarlig" in html
    assert not MunicipalityTaskChange.objects.exists()  # nothing saved before confirming
    done = bulk(leader_client, selection(*tasks), confirm=True, responsible=anna.pk, executor=bo.pk)
    assert done.status_code == 302 and done["Location"] == "/klik/?status=yellow"
    assert "5 opgaver er gemt." in texts(done)
    for mt in MunicipalityTask.objects.with_colour().filter(pk__in=[t.pk for t in tasks]):
        assert (mt.responsible, mt.executor, mt.colour, mt.version) == (anna, bo, "green", 1)
        assert sorted(mt.changes.values_list("field", "new_value")) == [
            ("executor", "Bo Udfører"),
            ("responsible", "Anna Ansvarlig"),
        ]


def test_one_stale_task_among_five_is_refused_reported_and_left_unchanged(
    leader_client, leader, make_task, people
):
    anna, bo = people
    tasks = [make_task(Colour.YELLOW) for _ in range(5)]
    loaded = selection(*tasks)  # the versions the list showed
    stale = tasks[2]
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{stale.pk}/", form_data(stale, note="Ændret imens"))

    confirm = bulk(leader_client, loaded, responsible=anna.pk, executor=bo.pk).content.decode()
    assert "1 opgave er ændret af en anden, efter du indlæste listen." in confirm
    assert "«–» til «Ændret imens»" in confirm
    assert "4 opgaver bliver ændret" in confirm

    done = bulk(leader_client, loaded, confirm=True, responsible=anna.pk, executor=bo.pk)
    assert done.status_code == 200
    html = done.content.decode()
    assert "4 opgaver er gemt." in html
    assert f'<li data-task="{stale.pk}">' in html and "«Ændret imens»" in html
    stale.refresh_from_db()
    assert (stale.responsible, stale.executor, stale.note, stale.version) == (
        None,
        None,
        "Ændret imens",
        1,
    )
    assert list(stale.changes.values_list("field", flat=True)) == ["note"]
    for mt in MunicipalityTask.objects.filter(pk__in=[t.pk for t in tasks]).exclude(pk=stale.pk):
        assert (mt.responsible, mt.executor, mt.version) == (anna, bo, 1)
        assert mt.changes.count() == 2


@pytest.mark.parametrize("confirm", [False, True])
def test_another_municipalitys_task_ids_answer_404_and_change_nothing(
    leader_client, make_task, hoersholm, people, confirm
):
    own = make_task(Colour.YELLOW)
    theirs = make_task(Colour.YELLOW, municipality=hoersholm)
    response = bulk(leader_client, selection(own, theirs), confirm=confirm, state=State.IN_PROGRESS)
    assert response.status_code == 404
    assert bulk(leader_client, ["99999999:0"], confirm=confirm, state="done").status_code == 404
    assert not MunicipalityTaskChange.objects.exists()
    assert set(MunicipalityTask.objects.values_list("version", flat=True)) == {0}


def test_bulk_needs_a_csrf_token(leader, make_task, people):
    mt = make_task(Colour.YELLOW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    response = bulk(client, selection(mt), confirm=True, responsible=people[0].pk)
    assert response.status_code == 403
    assert MunicipalityTask.objects.get(pk=mt.pk).version == 0


def test_kombit_staff_cannot_bulk_update(kombit_client, make_task):
    mt = make_task(Colour.YELLOW)
    assert bulk(kombit_client, selection(mt), confirm=True, state="done").status_code == 403
    assert MunicipalityTask.objects.get(pk=mt.pk).version == 0


def test_select_all_on_the_page_sends_every_row_of_the_page(leader_client, make_task):
    tasks = [make_task(Colour.YELLOW) for _ in range(3)]
    response = leader_client.post(
        "/klik/massevis/",
        {
            "bulk-page_tasks": selection(*tasks),
            "bulk-all_on_page": "on",
            "bulk-needs_help": "yes",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    assert MunicipalityTask.objects.filter(needs_help=True).count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bulk-state": "done"}, NO_TASKS),
        ({"bulk-tasks": ["1:0"]}, NO_CHANGE),
    ],
)
def test_nothing_selected_or_nothing_to_set_is_a_message_not_a_change(
    leader_client, make_task, data, message
):
    make_task()
    response = leader_client.post("/klik/massevis/", {**data, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/klik/"
    assert texts(response) == [str(message)]
    assert not MunicipalityTaskChange.objects.exists()


@pytest.mark.parametrize("value", ["x", "1", "1:x", ":", "1:2:3", "9" * 40 + ":1"])
def test_a_tampered_selection_is_a_message_not_a_500(leader_client, make_task, value):
    make_task()
    response = bulk(leader_client, [value], confirm=True, state="done")
    assert response.status_code == 302
    assert "Valget kunne ikke læses" in texts(response)[0]


def test_unchanged_values_write_no_history(leader_client, make_task):
    mt = make_task(Colour.GREEN)
    response = bulk(leader_client, selection(mt), confirm=True, state=mt.state)
    assert response.status_code == 302
    assert "Ingen opgaver blev ændret." in texts(response)
    assert MunicipalityTask.objects.get(pk=mt.pk).version == 0


def test_the_list_shows_the_new_people_after_a_bulk_save(leader_client, make_task, people):
    anna, bo = people
    tasks = [make_task(Colour.YELLOW) for _ in range(2)]
    bulk(leader_client, selection(*tasks), confirm=True, responsible=anna.pk, executor=bo.pk)
    shown = listed(leader_client.get("/klik/?status=green"))
    assert sorted(shown) == sorted(t.pk for t in tasks)


def _yellow(make_task, count):
    return [make_task(Colour.YELLOW) for _ in range(count)]


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_with_its_selection_runs_a_fixed_number_of_queries(
    leader_client, make_task, people, django_assert_num_queries, size
):
    _yellow(make_task, size)
    # session, user, groups, facet counts, support systems, interfaces, projects, persons
    # (shared by the filter and the bulk form), rows, interfaces of the rows, saved filters,
    # and (issue 15) the user's and their groups' permissions for "Ny lokal opgave"
    with django_assert_num_queries(13):
        response = leader_client.get("/klik/?state=open&unassigned=on")
    assert len(listed(response)) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_bulk_confirmation_runs_a_fixed_number_of_queries(
    leader_client, leader, make_task, people, django_assert_num_queries, size
):
    tasks = _yellow(make_task, size)
    loaded = selection(*tasks)
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{tasks[0].pk}/", form_data(tasks[0], note="imens"))
    # session, user, groups, the two persons validated, the tasks, the changes of stale ones,
    # and (issue 15) the user's and their groups' permissions: a reader may not assign
    with django_assert_num_queries(9):
        response = bulk(leader_client, loaded, responsible=people[0].pk, executor=people[1].pk)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_bulk_save_runs_a_fixed_number_of_queries(
    leader_client, leader, make_task, people, django_assert_num_queries, size
):
    tasks = _yellow(make_task, size)
    loaded = selection(*tasks)
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{tasks[0].pk}/", form_data(tasks[0], note="imens"))
    # session, user, groups, two persons, the scope check, the locked rows, the stale changes,
    # savepoint and release, one UPDATE, one INSERT of the history, and (issue 15) the user's
    # and their groups' permissions, looked up once whatever the rows (a reader may not edit)
    with django_assert_num_queries(14):
        response = bulk(
            leader_client, loaded, confirm=True, responsible=people[0].pk, executor=people[1].pk
        )
    assert response.status_code == 200
    assert MunicipalityTaskChange.objects.filter(field="responsible").count() == size - 1
