"""Saved filters: "Gem filter" names the list's query string; "Mine filtre" on /klik/ and /."""

import pytest
from django.test import Client

from klik.models import Colour, SavedFilter
from tests.factories import KombitStaffFactory, ProgrammeLeaderFactory, UserFactory
from tests.klik.helpers import listed

pytestmark = pytest.mark.django_db


def save(client, name, query, **extra):
    return client.post("/klik/filtre/", {"name": name, "query": query, **extra})


def names(client, url="/klik/"):
    return [s.name for s in client.get(url).context["saved_filters"]]


def test_gem_filter_saves_the_query_string_and_opens_the_same_rows(leader_client, make_task):
    red = make_task(Colour.RED)
    make_task(Colour.GREEN)
    html = leader_client.get("/klik/?status=red&page=1").content.decode()
    assert 'name="query" value="status=red"' in html  # the page number is not saved
    response = save(leader_client, "Røde", "status=red")
    saved = SavedFilter.objects.get()
    assert (saved.name, saved.query, saved.shared) == ("Røde", "status=red", False)
    assert response.status_code == 302 and response["Location"] == "/klik/?status=red"
    assert listed(leader_client.get(saved.get_absolute_url())) == [red.pk]
    assert names(leader_client) == ["Røde"] and names(leader_client, "/") == ["Røde"]


def test_saved_filters_are_visible_only_to_their_owner_unless_shared(
    client, leader, naestved, hoersholm, kombit
):
    colleague = UserFactory(username="kollega", municipality=naestved)
    other = ProgrammeLeaderFactory(username="andenkommune", municipality=hoersholm)
    colleague_of_kombit = KombitStaffFactory(username="kombit2")
    client.force_login(leader)
    save(client, "Privat", "status=red")
    save(client, "Delt", "status=yellow", shared="on")
    client.force_login(kombit)
    save(client, "KOMBIT delt", "status=grey", shared="on")
    save(client, "KOMBIT privat", "status=green")

    seen = {}
    for user in (leader, colleague, other, kombit, colleague_of_kombit):
        client.force_login(user)
        seen[user.username] = sorted(names(client))
    assert seen == {
        "naestved": ["Delt", "Privat"],
        "kollega": ["Delt"],
        "andenkommune": [],
        "kombit": ["KOMBIT delt", "KOMBIT privat"],
        "kombit2": ["KOMBIT delt"],
    }


def test_only_programme_leaders_and_kombit_staff_may_share(client, naestved):
    reader = UserFactory(username="laeser", municipality=naestved)
    client.force_login(reader)
    assert 'name="shared"' not in client.get("/klik/").content.decode()
    save(client, "Forsøg", "status=red", shared="on")
    assert SavedFilter.objects.get().shared is False  # the field is not offered, so ignored


def test_the_owner_renames_and_deletes_others_get_404(leader_client, leader, naestved):
    save(leader_client, "Gammelt navn", "status=red", shared="on")
    saved = SavedFilter.objects.get()
    url = f"/klik/filtre/{saved.pk}/"
    assert leader_client.get(url).status_code == 200
    response = leader_client.post(url, {"name": "Nyt navn", "query": "ignored"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.query, saved.shared) == ("Nyt navn", "status=red", False)

    colleague = Client()
    colleague.force_login(ProgrammeLeaderFactory(username="kollega", municipality=naestved))
    saved.shared = True
    saved.save()
    assert colleague.get(url).status_code == 404
    assert colleague.post(url, {"delete": "1"}).status_code == 404
    assert SavedFilter.objects.exists()

    assert leader_client.post(url, {"delete": "1"}).status_code == 302
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize("name", ["", "x" * 101, "bad\ufffe"])
def test_a_bad_name_is_a_danish_message_and_nothing_is_saved(leader_client, name):
    response = save(leader_client, name, "status=red")
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()


def test_the_saved_filters_need_a_login(client, naestved):
    assert client.post("/klik/filtre/", {"name": "x"}).status_code == 302
    assert not SavedFilter.objects.exists()
