"""The Notifikationer page and the one-click unsubscribe link."""

import pytest
from django.core import signing
from django.urls import reverse

from notifikationer.mails import unsubscribe_token, unsubscribe_url
from notifikationer.models import MailPreference, Topic, Weekday
from tests.factories import KombitStaffFactory

pytestmark = pytest.mark.django_db


def test_preferences_page_saves_the_choices_and_weekday(leader_client, leader):
    leader.email = "leder@naestved.dk"
    leader.save()
    page = leader_client.get(reverse("notifikationer:preferences"))
    assert page.status_code == 200
    assert "national_digest" not in page.context["form"].fields
    response = leader_client.post(
        reverse("notifikationer:preferences"),
        {"enabled": "on", "tasks": "on", "digest": "on", "digest_weekday": Weekday.THURSDAY},
    )
    assert response.status_code == 302
    pref = MailPreference.objects.get(email="leder@naestved.dk")
    assert pref.digest_weekday == Weekday.THURSDAY and pref.tasks and not pref.published


def test_a_bad_weekday_is_refused_with_a_danish_message(leader_client, leader):
    leader.email = "leder@naestved.dk"
    leader.save()
    response = leader_client.post(reverse("notifikationer:preferences"), {"digest_weekday": "9"})
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not MailPreference.objects.exists()


def test_kombit_staff_may_choose_the_national_digest(client):
    staff = KombitStaffFactory(email="k@kombit.dk")
    client.force_login(staff)
    page = client.get(reverse("notifikationer:preferences"))
    assert "national_digest" in page.context["form"].fields


def test_unsubscribe_works_without_a_login(client):
    url = unsubscribe_url("anne@naestved.dk", [Topic.TASKS])
    path = url.removeprefix("https://kombitpl.example.org")
    page = client.get(path)
    assert page.status_code == 200
    assert not MailPreference.objects.exists()  # a GET (a link scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "Du får ikke længere disse mails" in done.content.decode()
    pref = MailPreference.objects.get(email="anne@naestved.dk")
    assert not pref.tasks and pref.published and pref.digest


def test_a_tampered_unsubscribe_token_is_refused(client):
    token = unsubscribe_token("anne@naestved.dk", [Topic.TASKS])
    forged = signing.dumps({"e": "boss@naestved.dk", "t": ["tasks"]}, salt="other")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.post(reverse("notifikationer:unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "ikke gyldigt" in response.content.decode()
    assert not MailPreference.objects.exists()


@pytest.mark.parametrize("token", ["%00", "a" * 5000, "e30:x:y", "..%2F..%2Fadmin"])
def test_hostile_unsubscribe_tokens_are_refused_without_a_500(client, token):
    response = client.post(f"/notifikationer/afmeld/{token}/")
    assert response.status_code in (400, 404)
    assert not MailPreference.objects.exists()


def test_a_login_without_an_address_is_told_why_no_mail_comes(client, leader):
    client.force_login(leader)
    page = client.get(reverse("notifikationer:preferences"))
    assert "ingen e-mailadresse" in page.content.decode()
    response = client.post(reverse("notifikationer:preferences"), {"enabled": "on"}, follow=True)
    assert "ingen e-mailadresse" in response.content.decode()
    assert not MailPreference.objects.exists()


def test_the_preferences_page_needs_a_login(client):
    response = client.get(reverse("notifikationer:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
