"""/klik/<id>/ for the work list: history by full name, the KLIK link, the error summary."""

import datetime
import re

import pytest
from django.test import Client

from klik.models import Colour, State
from tests.factories import PersonFactory, ProgrammeLeaderFactory
from tests.klik.test_detail import form_data

pytestmark = pytest.mark.django_db


def change_note(client, mt, note):
    mt.refresh_from_db()
    return client.post(f"/klik/{mt.pk}/", form_data(mt, note=note))


def history(client, mt):
    html = client.get(f"/klik/{mt.pk}/").content.decode()
    return re.findall(r"– <strong>([^<]*)</strong> ændrede", html)


def test_history_names_the_person_then_the_full_name_then_the_username(naestved, make_task):
    mt = make_task(Colour.GREEN)
    plain = ProgrammeLeaderFactory(
        username="plain", first_name="", last_name="", municipality=naestved
    )
    named = ProgrammeLeaderFactory(
        username="named", first_name="Nina", last_name="Navn", municipality=naestved
    )
    linked = ProgrammeLeaderFactory(username="linked", first_name="X", municipality=naestved)
    PersonFactory(municipality=naestved, name="Lars Linket", user=linked)
    client = Client()
    for user, note in ((plain, "1"), (named, "2"), (linked, "3")):
        client.force_login(user)
        assert change_note(client, mt, note).status_code == 302
    assert history(client, mt) == ["Lars Linket", "Nina Navn", "plain"]
    page = client.get(f"/klik/{mt.pk}/").content.decode()
    assert "af Lars Linket" in page


def test_the_page_links_to_the_task_in_klik_when_kombit_set_an_address(leader_client, make_task):
    mt = make_task(klik_reference="KLIK-7", klik_url="https://klik.example.dk/opgave/7")
    html = leader_client.get(f"/klik/{mt.pk}/").content.decode()
    assert (
        '<a href="https://klik.example.dk/opgave/7" rel="noopener" class="klik-reference-link">'
        "KLIK-7</a>" in html
    )
    plain = make_task(klik_reference="KLIK-8")
    html = leader_client.get(f"/klik/{plain.pk}/").content.decode()
    assert "klik-reference-link" not in html and "KLIK-8" in html


def test_a_refused_stale_save_puts_an_error_summary_at_the_top_of_the_form(
    leader_client, leader, make_task
):
    mt = make_task(Colour.GREEN)
    loaded = form_data(mt)
    other = Client()
    other.force_login(leader)
    other.post(f"/klik/{mt.pk}/", form_data(mt, note="Først", state=State.BLOCKED))
    html = leader_client.post(f"/klik/{mt.pk}/", {**loaded, "note": "Bagefter"}).content.decode()
    form = html[html.index('<form method="post" class="klik-edit"') :]
    # The summary is the form's first element after the CSRF token; focus goes there.
    first = re.search(r"csrfmiddlewaretoken[^>]*>\s*(<div[^>]*>)", form).group(1)
    assert "data-error-summary" in first and 'tabindex="-1"' in first and 'role="alert"' in first
    assert "Dine ændringer blev ikke gemt" in form
    assert "ændrede <em>Note</em> fra «–» til «Først»" in form.split("</form>")[0]
    assert "Bagefter</textarea>" in form
    assert '<script src="/static/js/error-summary.js"></script>' in html


def test_a_field_error_is_summarised_with_a_link_to_its_field(leader_client, make_task):
    mt = make_task(Colour.YELLOW)
    # A retired person of the task's own municipality is not a choice: a field error (another
    # municipality's person would be a 404, issue 8).
    retired = PersonFactory(municipality=mt.municipality, retired_on=datetime.date(2026, 1, 1))
    html = leader_client.post(
        f"/klik/{mt.pk}/", form_data(mt, responsible=retired.pk)
    ).content.decode()
    assert re.search(r'data-error-summary.*?<a href="#id_responsible">Ansvarlig: ', html, re.S)


def test_the_task_page_names_the_list_and_the_task(leader_client, make_task):
    mt = make_task(title="Udpeg lokal administrator")
    from lxml import html

    doc = html.fromstring(leader_client.get(mt.get_absolute_url()).content)
    steps = [
        li.text_content().strip()
        for li in doc.xpath("//li[contains(@class, 'breadcrumbs__list-item')]")
    ]
    assert steps == ["Forside", "KLIK-opgaver", "Udpeg lokal administrator"]
