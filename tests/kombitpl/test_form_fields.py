"""Every form renders through templates/includes/form_field.html: each hint and error is tied
to its field by `aria-describedby`, so a screen reader announces it, and no reference dangles."""

import lxml.html
import pytest

from klik.models import MunicipalityTask
from tests.factories import PersonFactory, RoleFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(naestved):
    return MunicipalityTask.objects.get(task=TaskFactory(), municipality=naestved)


@pytest.fixture
def person(naestved):
    return PersonFactory(municipality=naestved)


def described_page(response):
    """The page parsed, after checking each aria-describedby id names an element on it and
    each hint and error is named by one."""
    assert response.status_code == 200, response.status_code
    html = lxml.html.fromstring(response.content.decode())
    ids = {element.get("id") for element in html.xpath("//*[@id]")}
    named = set()
    for element in html.xpath("//*[@aria-describedby]"):
        referenced = element.get("aria-describedby").split()
        assert referenced, lxml.html.tostring(element)
        missing = set(referenced) - ids
        assert not missing, f"{element.get('name') or element.get('id')} names {missing}"
        named.update(referenced)
    notes = html.xpath(
        "//*[contains(@class, 'form-hint') or contains(@class, 'form-error-message')]"
    )
    for note in notes:
        assert note.get("id") in named, f"nobody announces {lxml.html.tostring(note)!r}"
    return html


def errors(html):
    return html.xpath("//*[contains(@class, 'form-error-message')]")


def test_the_klik_task_form_announces_its_errors(leader_client, task):
    url = task.get_absolute_url()
    described_page(leader_client.get(url))
    bad = {"version": task.version, "state": "bogus", "responsible": "999999", "note": ""}
    html = described_page(leader_client.post(url, bad))
    assert len(errors(html)) == 2
    assert html.get_element_by_id("id_state").get("aria-describedby") == "id_state_error"


def test_the_person_form_announces_its_errors(leader_client):
    described_page(leader_client.get("/roller/personer/ny/"))
    html = described_page(leader_client.post("/roller/personer/ny/", {"email": "ikke-en-mail"}))
    assert len(errors(html)) == 2
    assert html.get_element_by_id("id_email").get("aria-invalid") == "true"


def test_the_assignment_form_announces_its_hint_and_errors(leader_client, person):
    url = f"/roller/personer/{person.pk}/tildel/"
    html = described_page(leader_client.get(url))
    assert html.get_element_by_id("id_project").get("aria-describedby") == "id_project_helptext"
    bad = {"role": RoleFactory().pk + 1, "project": "x", "started_on": "2026-02-30"}
    html = described_page(leader_client.post(url, bad))
    assert len(errors(html)) == 3
    assert html.get_element_by_id("id_project").get("aria-describedby") == (
        "id_project_helptext id_project_error"
    )


def test_the_klik_filters_announce_a_bad_value_at_its_field(leader_client, task):
    html = described_page(leader_client.get("/klik/?status=purple&deadline_after=2026-02-30"))
    assert len(errors(html)) == 2
    # A group of checkboxes is a fieldset, which names its error itself.
    assert html.get_element_by_id("id_status").get("aria-describedby") == "id_status_error"


@pytest.mark.parametrize(
    "url", ["/klik/", "/roller/personer/", "/roller/bemanding/", "/overblik/", "/"]
)
def test_no_page_with_a_filter_form_names_a_missing_description(leader_client, url):
    described_page(leader_client.get(url))


def test_each_checkbox_is_followed_by_its_label_so_dkfds_draws_its_box(leader_client, task):
    # DKFDS hides the input and draws the box on `.form-checkbox + label`.
    pages = [task.get_absolute_url(), "/klik/", "/roller/personer/", "/roller/bemanding/"]
    for url in pages:
        html = described_page(leader_client.get(url))
        boxes = html.xpath("//form//input[@type='checkbox']")
        assert boxes, url
        for box in boxes:
            label = box.getnext()
            assert "form-checkbox" in box.get("class").split(), (url, box.get("id"))
            assert label is not None and label.tag == "label", (url, box.get("id"))
            assert label.get("for") == box.get("id")


def test_the_login_form_announces_its_errors(client, db):
    described_page(client.get("/accounts/login/"))
    html = described_page(client.post("/accounts/login/", {"username": "", "password": ""}))
    assert len(errors(html)) == 2
    assert "form-input" in html.get_element_by_id("id_username").get("class")
