"""A weekly digest mail, as Outlook-like clients render its HTML part: screenshotted in
Chromium, and its plain text part read."""

import datetime
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from klik.models import MunicipalityTask, State
from notifikationer.services import notifications_send
from tests.factories import (
    EventFactory,
    PersonFactory,
    ProgrammeLeaderFactory,
    ProjectRoleFactory,
    municipality_task,
)

SHOTS = Path("/tmp/shots")
MONDAY = datetime.date(2026, 12, 7)
NOW = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(7)))


@pytest.fixture
def digest(naestved, mailoutbox):
    leader = ProgrammeLeaderFactory(
        municipality=naestved, email="leder@naestved.dk", first_name="Nanna", last_name="Holm"
    )
    with time_machine.travel(NOW, tick=False):
        anne = PersonFactory(municipality=naestved, name="Anne Hansen")
        municipality_task(
            naestved, title="Opsæt brugere i STS Adgangsstyring", published_on=MONDAY - timedelta(3)
        )
        soon = municipality_task(
            naestved, title="Test af SF1511 Hent token", deadline=MONDAY + timedelta(6)
        )
        MunicipalityTask.objects.filter(pk=soon.pk).update(
            responsible=anne, executor=anne, state=State.IN_PROGRESS
        )
        municipality_task(
            naestved, title="Tilslut Serviceplatformen", deadline=MONDAY - timedelta(9)
        )
        MunicipalityTask.objects.update(updated_at=NOW - timedelta(days=30))
        ProjectRoleFactory(role__name="Sikkerhedsansvarlig", project__short_name="BBR")
        EventFactory(title="Netværksmøde om STS", starts_at=NOW + timedelta(days=8), place="Odense")
        notifications_send()
    return next(m for m in mailoutbox if m.to == [leader.email] and "ugens overblik" in m.subject)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_digest_reads_well_as_html_and_as_text(digest, page):
    text = digest.body
    # One Danish date style (issue 13): prose dates carry their year.
    assert text.startswith("Kære Nanna Holm. Her er din uge i KLIK siden 30. november 2026.")
    assert "Frister de næste 14 dage (1):\n- Test af SF1511 Hent token (" in text
    assert "Afmeld: https://kombitpl.example.org/notifikationer/afmeld/" in text
    assert "<" not in text.replace("<tag>", "")  # plain text, no markup

    html = digest.alternatives[0][0]
    page.set_viewport_size({"width": 720, "height": 900})
    page.set_content(html)
    expect(page.get_by_role("heading", name="Frister de næste 14 dage (1)")).to_be_visible()
    soon = MunicipalityTask.objects.get(task__title="Test af SF1511 Hent token")
    link = page.get_by_role("link", name="Test af SF1511 Hent token")
    expect(link).to_have_attribute("href", f"https://kombitpl.example.org/klik/{soon.pk}/")
    expect(page.get_by_text("Sikkerhedsansvarlig")).to_be_visible()
    expect(page.get_by_role("link", name="Afmeld")).to_be_visible()
    assert page.locator("img").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "digest-mail.png"), full_page=True)
