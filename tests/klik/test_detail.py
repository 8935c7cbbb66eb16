"""/klik/<id>/: what it shows, who may edit, CSRF, stale edits, history."""

import pytest
from django.test import Client

from klik.models import Colour, MunicipalityTask, MunicipalityTaskChange, State
from portfolio.validators import FORBIDDEN_CHARACTER
from tests.factories import (
    InterfaceFactory,
    PersonFactory,
    ProjectFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SupportSystemFactory,
)
from tests.klik.conftest import DAY, today

pytestmark = pytest.mark.django_db


def form_data(mt, **changes):
    data = {
        "version": mt.version,
        "state": mt.state,
        "responsible": mt.responsible_id or "",
        "executor": mt.executor_id or "",
        "note": mt.note,
    }
    # What the browser sends back: the hidden copies of the values the form was loaded with.
    data.update({f"initial-{k}": v for k, v in data.items() if k != "version"})
    data["initial-needs_help"] = str(mt.needs_help)
    if mt.needs_help:
        data["needs_help"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_the_task(leader_client, naestved, make_task):
    mt = make_task(
        Colour.RED,
        title="Opsæt STS",
        description="Beskrivelse af opgaven",
        project=ProjectFactory(slug="bbr", short_name="BBR", name="Bygnings- og Boligregistret"),
        support_system=SupportSystemFactory(slug="sts-adgangsstyring", name="STS Adgangsstyring"),
        starts_on=today() - 10 * DAY,
    )
    mt.task.interfaces.add(InterfaceFactory(code="SF1511", name="Hent token"))
    mt.note = "Afventer leverandør"
    mt.needs_help = True
    mt.save()
    html = leader_client.get(f"/klik/{mt.pk}/").content.decode()
    for text in (
        "Opsæt STS",
        "Beskrivelse af opgaven",
        '<a href="/projekter/bbr/">BBR</a>',
        '<a href="/overblik/sts-adgangsstyring/">STS Adgangsstyring</a>',
        '<a href="/snitflader/SF1511/">SF1511</a>',
        "Afventer leverandør",
        mt.responsible.name,
        mt.executor.name,
        "I gang",
        "Rød",
    ):
        assert text in html
    assert '<dd data-field="needs_help">Ja</dd>' in html


def test_the_page_shows_needed_roles_and_who_holds_them(
    leader_client, naestved, hoersholm, make_task
):
    role = RoleFactory(name="Lokal administrator", slug="lokal-administrator")
    empty_role = RoleFactory(name="Testansvarlig", slug="testansvarlig")
    mt = make_task()
    mt.task.roles.add(role, empty_role)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=naestved, name="Kirsten Holder"), role=role
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=hoersholm, name="Fremmed Holder"), role=role
    )
    html = leader_client.get(f"/klik/{mt.pk}/").content.decode()
    assert "Lokal administrator" in html and "Kirsten Holder" in html
    assert "Fremmed Holder" not in html
    assert "ingen i kommunen har rollen" in html


def test_executor_choices_offer_role_holders_first_and_only_own_persons(
    leader_client, naestved, hoersholm, make_task
):
    role = RoleFactory()
    mt = make_task(Colour.YELLOW)
    mt.task.roles.add(role)
    PersonFactory(municipality=naestved, name="Aase Uden Rolle")
    holder = PersonFactory(municipality=naestved, name="Øjvind Med Rolle")
    RoleAssignmentFactory(person=holder, role=role)
    PersonFactory(municipality=hoersholm, name="Hørsholm Person")
    form = leader_client.get(f"/klik/{mt.pk}/").context["form"]
    executors = [label for value, label in form.fields["executor"].choices if value]
    assert executors[0] == "Øjvind Med Rolle (har en af opgavens påkrævede roller)"
    assert "Aase Uden Rolle" in executors
    assert not any("Hørsholm" in label for label in executors)
    responsibles = [label for value, label in form.fields["responsible"].choices if value]
    assert not any("Hørsholm" in label for label in responsibles)


def test_saving_a_yellow_task_with_people_makes_it_green_and_records_history(
    leader_client, leader, naestved, make_task
):
    mt = make_task(Colour.YELLOW)
    anna = PersonFactory(municipality=naestved, name="Anna")
    bo = PersonFactory(municipality=naestved, name="Bo")
    response = leader_client.post(
        f"/klik/{mt.pk}/", form_data(mt, responsible=anna.pk, executor=bo.pk, note="Vi er i gang")
    )
    assert response.status_code == 302 and response["Location"] == f"/klik/{mt.pk}/"
    mt = MunicipalityTask.objects.with_colour().get(pk=mt.pk)
    assert mt.colour == Colour.GREEN
    assert (mt.responsible, mt.executor, mt.note, mt.version) == (anna, bo, "Vi er i gang", 1)
    assert mt.updated_by == leader
    changes = {c.field: (c.old_value, c.new_value, c.changed_by) for c in mt.changes.all()}
    assert changes == {
        "responsible": ("", "Anna", leader),
        "executor": ("", "Bo", leader),
        "note": ("", "Vi er i gang", leader),
    }
    html = leader_client.get(f"/klik/{mt.pk}/").content.decode()
    assert "Opgaven er gemt." in html
    assert "ændrede <em>Ansvarlig</em> fra «–» til «Anna»" in html


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(
    leader_client, leader, naestved, make_task
):
    mt = make_task(Colour.GREEN)
    loaded = form_data(mt)  # the form as this user loaded it
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{mt.pk}/", form_data(mt, note="Først", state=State.BLOCKED))
    response = leader_client.post(f"/klik/{mt.pk}/", {**loaded, "note": "Bagefter"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "En anden har gemt opgaven, efter du åbnede den" in html
    assert "ændrede <em>Note</em> fra «–» til «Først»" in html
    assert "ændrede <em>Tilstand</em> fra «I gang» til «Kan ikke nås til tiden»" in html
    mt.refresh_from_db()
    assert (mt.note, mt.state, mt.version) == ("Først", State.BLOCKED, 1)
    assert MunicipalityTaskChange.objects.filter(new_value="Bagefter").count() == 0
    # The refused form keeps what this user changed, shows the rest as it is now, and carries
    # the current version, so saving again does not undo the other user's change.
    form = response.context["form"]
    assert form["note"].value() == "Bagefter" and form["version"].value() == "1"
    assert form["state"].value() == State.BLOCKED
    again = leader_client.post(f"/klik/{mt.pk}/", form.data)
    assert again.status_code == 302
    mt.refresh_from_db()
    assert (mt.note, mt.state, mt.version) == ("Bagefter", State.BLOCKED, 2)


# Issue 8: naming another municipality's person used to be a form error (200); it is now a
# 404, like that person's own page and any other municipality's object.
@pytest.mark.parametrize("field", ["responsible", "executor"])
def test_a_person_of_another_municipality_is_a_404(leader_client, hoersholm, make_task, field):
    mt = make_task(Colour.YELLOW)
    stranger = PersonFactory(municipality=hoersholm)
    response = leader_client.post(f"/klik/{mt.pk}/", form_data(mt, **{field: stranger.pk}))
    assert response.status_code == 404
    mt.refresh_from_db()
    assert getattr(mt, f"{field}_id") != stranger.pk and mt.version == 0


@pytest.mark.parametrize("value", ["999999", "99999999999999999999", "abc"])
def test_an_unknown_person_stays_a_form_error(leader_client, make_task, value):
    mt = make_task(Colour.YELLOW)
    response = leader_client.post(f"/klik/{mt.pk}/", form_data(mt, responsible=value))
    assert response.status_code == 200
    assert "form-error" in response.content.decode()
    mt.refresh_from_db()
    assert mt.version == 0


def test_another_municipality_gets_404(leader_client, hoersholm, make_task):
    theirs = make_task(municipality=hoersholm)
    assert leader_client.get(f"/klik/{theirs.pk}/").status_code == 404
    assert leader_client.post(f"/klik/{theirs.pk}/", form_data(theirs, note="x")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.note == ""


def test_unknown_task_gets_404(leader_client, naestved):
    assert leader_client.get("/klik/999999/").status_code == 404


def test_kombit_staff_read_but_cannot_edit(kombit_client, naestved, make_task):
    mt = make_task()
    response = kombit_client.get(f"/klik/{mt.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" class="klik-edit"' not in html
    assert "Kun kommunens egne brugere kan ændre den." in html
    assert kombit_client.post(f"/klik/{mt.pk}/", form_data(mt, note="KOMBIT")).status_code == 403
    mt.refresh_from_db()
    assert mt.note == "" and mt.version == 0


def test_the_edit_form_needs_a_csrf_token(leader, make_task):
    mt = make_task()
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    response = client.post(f"/klik/{mt.pk}/", form_data(mt, note="uden token"))
    assert response.status_code == 403
    mt.refresh_from_db()
    assert mt.note == ""
    page = client.get(f"/klik/{mt.pk}/")
    token = page.context["csrf_token"]
    assert (
        f'value="{token}"' in page.content.decode()
        or "csrfmiddlewaretoken" in page.content.decode()
    )
    response = client.post(
        f"/klik/{mt.pk}/", {**form_data(mt, note="med token"), "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_tampered_version_is_an_error_not_a_500(leader_client, make_task, version):
    mt = make_task()
    response = leader_client.post(f"/klik/{mt.pk}/", form_data(mt, version=version, note="x"))
    assert response.status_code == 200
    mt.refresh_from_db()
    assert mt.note == ""


@pytest.mark.parametrize("rows", [0, 30])
def test_the_task_page_runs_a_fixed_number_of_queries(
    leader_client, leader, naestved, make_task, django_assert_num_queries, rows
):
    from klik.services import municipality_task_update

    mt = make_task()
    for n in range(rows):
        role = RoleFactory()
        mt.task.roles.add(role)
        RoleAssignmentFactory(person=PersonFactory(municipality=naestved), role=role)
        mt.task.interfaces.add(InterfaceFactory())
        municipality_task_update(
            municipality_task=mt, user=leader, data={"note": f"n{n}"}, version=mt.version
        )
    # +3 (issue 15): the attachments (one query) and the check that readers only read (the
    # user's and their groups' permissions, two queries), whatever the rows.
    with django_assert_num_queries(13):
        response = leader_client.get(f"/klik/{mt.pk}/")
    assert response.status_code == 200


def test_a_note_with_u_ffff_is_refused_at_its_field_and_nothing_is_saved(
    leader_client, make_task, danish
):
    mt = make_task()
    response = leader_client.post(f"/klik/{mt.pk}/", form_data(mt, note="Vi er i gang\uffff"))
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        str(FORBIDDEN_CHARACTER) % {"character": "U+FFFF"}
    ]
    mt.refresh_from_db()
    assert (mt.note, mt.version) == ("", 0)
    assert not mt.changes.exists()
