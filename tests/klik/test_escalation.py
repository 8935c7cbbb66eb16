"""Escalation marks: a programme leader marks a stalled task as escalated, and can undo it."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from klik.models import Colour, MunicipalityTask
from tests.factories import PersonFactory, UserFactory
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


def mark(client, mt, action="mark", note="Rykket hos leverandøren", next_=""):
    mt.refresh_from_db()
    return client.post(
        f"/klik/{mt.pk}/eskalering/",
        {"action": action, "version": mt.version, "note": note, "next": next_},
    )


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_programme_leader_marks_a_task_and_removes_the_mark(leader_client, leader, make_task):
    PersonFactory(municipality=leader.municipality, name="Mette Lund", user=leader)
    mt = make_task(Colour.RED)
    response = mark(leader_client, mt)
    assert response.status_code == 302 and response["Location"] == f"/klik/{mt.pk}/"
    mt = MunicipalityTask.objects.select_related("escalation").get(pk=mt.pk)
    assert mt.mark.escalated_by == leader and mt.mark.note == "Rykket hos leverandøren"
    assert mt.mark.escalated_at is not None and mt.version == 1
    html = leader_client.get(f"/klik/{mt.pk}/").content.decode()
    assert "af Mette Lund." in html and "«Rykket hos leverandøren»" in html
    assert "ændrede <em>Eskalering</em> fra «Nej» til «Ja – Rykket hos leverandøren»" in html
    assert "Fjern markering" in html

    assert mark(leader_client, mt, action="unmark").status_code == 302
    mt = MunicipalityTask.objects.get(pk=mt.pk)
    assert (mt.mark, mt.version) == (None, 2)
    assert mt.changes.filter(field="escalation", new_value="Nej").exists()


def test_the_list_shows_a_tag_and_filters_by_escalated(leader_client, make_task):
    marked = make_task(Colour.RED)
    make_task(Colour.RED)
    mark(leader_client, marked)
    assert listed(leader_client.get("/klik/?escalated=on")) == [marked.pk]
    html = leader_client.get("/klik/").content.decode()
    assert html.count("data-escalated>Eskaleret</span>") == 1


def test_a_stale_mark_is_refused(leader_client, leader, make_task):
    mt = make_task(Colour.RED)
    version = mt.version
    other = Client()
    other.force_login(leader)
    mark(other, mt, note="Først")
    response = leader_client.post(
        f"/klik/{mt.pk}/eskalering/", {"action": "unmark", "version": version, "note": ""}
    )
    assert response.status_code == 302
    assert "En anden har gemt opgaven" in texts(response)[0]
    mt = MunicipalityTask.objects.get(pk=mt.pk)
    assert mt.mark.note == "Først" and mt.version == 1


def test_another_municipalitys_task_is_404(leader_client, make_task, hoersholm):
    theirs = make_task(Colour.RED, municipality=hoersholm)
    assert mark(leader_client, theirs).status_code == 404
    assert MunicipalityTask.objects.get(pk=theirs.pk).mark is None


def test_only_programme_leaders_may_mark(client, naestved, kombit, make_task):
    mt = make_task(Colour.RED)
    for user in (UserFactory(username="laeser", municipality=naestved), kombit):
        client.force_login(user)
        response = mark(client, mt)
        assert response.status_code == 302
        assert "Kun kommunens programledere" in texts(response)[0]
        assert MunicipalityTask.objects.get(pk=mt.pk).mark is None
        assert "Markér som eskaleret" not in client.get(f"/klik/{mt.pk}/").content.decode()


def test_the_dashboard_list_to_escalate_offers_the_mark_and_shows_the_tag(leader_client, make_task):
    mt = make_task(Colour.RED)
    MunicipalityTask.objects.filter(pk=mt.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=60)
    )
    html = leader_client.get("/").content.decode()
    assert f'action="/klik/{mt.pk}/eskalering/"' in html and "Markér som eskaleret" in html
    response = mark(leader_client, mt, next_="/")
    assert response["Location"] == "/"
    html = leader_client.get("/").content.decode()
    assert "data-escalated>Eskaleret</span>" in html and "Fjern markering" in html


@pytest.mark.parametrize("next_", ["https://evil.example/", "//evil.example/"])
def test_the_return_address_stays_on_the_site(leader_client, make_task, next_):
    mt = make_task(Colour.RED)
    assert mark(leader_client, mt, next_=next_)["Location"] == f"/klik/{mt.pk}/"


@pytest.mark.parametrize("data", [{"version": "x"}, {"action": "delete"}, {"note": "x" * 201}])
def test_bad_input_is_a_message_not_a_500(leader_client, make_task, data):
    mt = make_task(Colour.RED)
    response = leader_client.post(
        f"/klik/{mt.pk}/eskalering/", {"action": "mark", "version": 0, "note": "", **data}
    )
    assert response.status_code == 302
    assert MunicipalityTask.objects.get(pk=mt.pk).mark is None
