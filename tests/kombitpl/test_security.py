"""Hardening a user or an operator would notice: headers, caching, sessions, logins, the
admin's door, error pages, and the settings production starts with."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin import AdminSite
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from demo.management.commands.load_demo import REFUSED_IN_PRODUCTION
from portfolio.models import User
from portfolio.sites import KombitAdminSite
from tests.factories import PersonFactory, ProgrammeLeaderFactory, municipality_task
from tests.kombitpl.test_settings import GOOD_KEY, ROOT

PROD_ENV = {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "kombitpl.example.org"}


def prod_settings(*names, **env):
    """The named production settings as Python sees them with these environment variables."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"names = {list(names)!r}; "
        "print(json.dumps({n: getattr(settings, n, None) for n in names}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean |= {"DJANGO_SETTINGS_MODULE": "kombitpl.settings.prod", **PROD_ENV, **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Headers ----------------------------------------------------------------


def test_every_page_forbids_framing_sniffing_and_foreign_referrers(leader_client):
    response = leader_client.get(reverse("klik:list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_allows_no_inline_script_or_style(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_signed_in_pages_and_exports_are_never_cached(leader_client):
    for url in (reverse("overblik:dashboard"), reverse("klik:list"), reverse("klik:export")):
        cache = leader_client.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url


def test_production_sends_hsts_without_preload_unless_the_operator_asks():
    plain = prod_settings("SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS")
    assert plain["SECURE_HSTS_SECONDS"] >= 31536000
    assert plain["SECURE_HSTS_PRELOAD"] is False
    preload = prod_settings(
        "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS", DJANGO_HSTS_PRELOAD="1"
    )
    assert preload["SECURE_HSTS_PRELOAD"] is True
    assert not preload["SILENCED_SYSTEM_CHECKS"]


def test_production_cookies_are_secure_and_demo_data_is_off():
    values = prod_settings(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "DEBUG"
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
    }
    assert prod_settings("DEMO_DATA_ALLOWED") == {"DEMO_DATA_ALLOWED": False}


def test_check_deploy_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "kombitpl.settings.prod", **PROD_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_check_answers_over_plain_http_while_pages_redirect(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


# --- Sessions and logins ----------------------------------------------------


def test_a_login_lasts_a_working_day_and_the_operator_can_change_it():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert prod_settings("SESSION_COOKIE_AGE", DJANGO_SESSION_HOURS="4") == {
        "SESSION_COOKIE_AGE": 4 * 3600
    }


def test_logout_is_post_only(leader_client):
    assert leader_client.get(reverse("logout")).status_code == 405
    assert leader_client.get(reverse("klik:list")).status_code == 200
    assert leader_client.post(reverse("logout")).status_code == 302
    assert leader_client.get(reverse("klik:list")).status_code == 302


def login(client, username, password="pw", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver/klik/",
        "javascript:alert(1)",
    ],
)
def test_the_login_follows_only_a_local_next(client, leader, target):
    response = client.post(
        reverse("login") + "?next=" + target, {"username": "naestved", "password": "pw"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("overblik:dashboard")


def test_the_login_follows_a_local_next_path(client, leader):
    response = client.post(
        reverse("login"), {"username": "naestved", "password": "pw", "next": "/klik/?status=red"}
    )
    assert response["Location"] == "/klik/?status=red"


def test_too_many_failed_logins_pause_logging_in_with_a_danish_message(client, leader, danish):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "naestved", "wrong").status_code == 200
    assert login(client, "naestved", "wrong").status_code == 429
    response = login(client, "naestved")  # even the right password waits
    assert response.status_code == 429
    assert "Login er sat på pause for denne bruger i 15 minutter" in response.content.decode()


def test_the_pause_ends_after_the_cool_off(client, leader):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "naestved", "wrong")
    assert login(client, "naestved").status_code == 429
    past = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES + 1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save()
    assert login(client, "naestved").status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_pause_is_per_client_address_not_the_proxys(client, leader):
    # The proxy appends the address it saw; what the client wrote before that is ignored.
    one = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "naestved", "wrong", **one)
    assert login(client, "naestved", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    other = login(client, "naestved", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.8")
    assert other.status_code == 302


@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(client, leader):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "naestved", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert login(client, "naestved", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


# --- The admin's door ---------------------------------------------------------


def test_a_municipal_user_never_reaches_the_admin_even_with_a_staff_flag(client, leader):
    leader.is_staff = True
    leader.save()
    client.force_login(leader)
    for url in ("/admin/", "/admin/klik/municipalitytask/", "/admin/rollegalleri/person/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


def test_kombit_staff_read_the_admin_but_change_nothing(client, kombit, naestved):
    kombit.is_staff = True
    kombit.save()
    mt = municipality_task(naestved)
    client.force_login(kombit)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"state": "done", "loaded_version": 0}).status_code == 403
    assert client.get(reverse("admin:portfolio_project_add")).status_code == 403


def test_kombit_staff_change_no_task_outside_the_admin(kombit_client, naestved):
    mt = municipality_task(naestved)
    response = kombit_client.post(mt.get_absolute_url(), {"state": "done", "version": 0})
    assert response.status_code == 403
    mt.refresh_from_db()
    assert mt.version == 0


@pytest.mark.parametrize(
    "query",
    ["state=%00", "needs_help__exact=%00", "q=%00", "o=%00", "colour=%00", "%00=1"],
)
def test_a_nul_byte_in_an_admin_filter_is_a_clear_400_not_a_500(admin_client, naestved, query):
    municipality_task(naestved)
    response = admin_client.get(f"/admin/klik/municipalitytask/?{query}")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke læses" in response.content.decode()


@pytest.mark.parametrize("tampered", ["99999999999999999999", "\x00", "abc", "-1", "1.5"])
def test_a_tampered_autocomplete_id_is_refused_at_its_field(admin_client, naestved, tampered):
    mt = municipality_task(naestved)
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    data = {"state": "in_progress", "responsible": tampered, "loaded_version": 0, "note": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "responsible" in response.context["adminform"].form.errors
    mt.refresh_from_db()
    assert (mt.state, mt.version) == ("not_started", 0)


def test_the_admin_still_offers_a_real_autocomplete_choice_after_a_refused_save(
    admin_client, naestved
):
    mt = municipality_task(naestved)
    person = PersonFactory(municipality=naestved, name="Ida Holm")
    url = reverse("admin:klik_municipalitytask_change", args=[mt.pk])
    data = {"state": "nope", "responsible": person.pk, "loaded_version": 0, "note": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Ida Holm" in response.content.decode()


def test_the_scoped_admin_holds_even_when_the_door_is_lifted(client, leader, naestved, monkeypatch):
    """Defence in depth: a municipal user let in by mistake still sees only their own tasks."""
    monkeypatch.setattr(KombitAdminSite, "has_permission", AdminSite.has_permission)
    leader.is_staff = True
    leader.save()
    mine = municipality_task(naestved)
    client.force_login(leader)
    response = client.get(reverse("admin:klik_municipalitytask_changelist"))
    assert [mt.pk for mt in response.context["cl"].result_list] == [mine.pk]


# --- Error pages ----------------------------------------------------------------


def assert_error_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert "dkfds.min.css" in html  # the design system's look
    assert "Traceback" not in html and "secret detail" not in html
    assert "Tilgængelighedserklæring" in html


@pytest.fixture
def failing_client(client, db, settings):
    settings.ROOT_URLCONF = "tests.kombitpl.error_urls"
    client.raise_request_exception = False
    return client


def test_a_missing_page_is_a_danish_404(leader_client, danish):
    assert_error_page(leader_client.get("/klik/999999/"), 404, "Siden blev ikke fundet")


def test_a_refused_page_is_a_danish_403(failing_client, leader, danish):
    failing_client.force_login(leader)
    response = failing_client.get("/fejl/403/")
    assert_error_page(response, 403, "Du har ikke adgang til denne side")


def test_a_bad_request_is_a_danish_400(failing_client, leader, danish):
    failing_client.force_login(leader)
    assert_error_page(failing_client.get("/fejl/400/"), 400, "Forespørgslen kunne ikke læses")


def test_a_server_error_is_a_danish_500_mailed_to_the_admins(failing_client, leader, settings):
    settings.ADMINS = [("Drift", "drift@example.org")]
    failing_client.force_login(leader)
    assert_error_page(failing_client.get("/fejl/500/"), 500, "Der skete en fejl")
    assert [m.to for m in mail.outbox] == [["drift@example.org"]]


def test_a_database_outage_is_a_danish_503_to_try_again(failing_client, leader):
    failing_client.force_login(leader)
    response = failing_client.get("/fejl/db/")
    assert_error_page(response, 503, "Tjenesten er midlertidigt utilgængelig")
    assert response["Retry-After"]


def test_an_expired_form_is_a_danish_403(client, leader, danish):
    client.force_login(leader)
    client.handler.enforce_csrf_checks = True
    mt = municipality_task(leader.municipality)
    response = client.post(mt.get_absolute_url(), {"state": "done", "version": 0})
    assert_error_page(response, 403, "Formularen er udløbet")


# --- Demo data and the footer -----------------------------------------------------


def test_load_demo_refuses_under_production_settings(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError) as refused:
        call_command("load_demo")
    assert str(refused.value) == REFUSED_IN_PRODUCTION
    assert not User.objects.filter(username="admin").exists()


def test_the_footer_links_the_operators_accessibility_statement(client, db, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/kombitpl-example-org"
    html = client.get(reverse("login")).content.decode()
    link = '<a href="https://www.was.digst.dk/kombitpl-example-org">Tilgængelighedserklæring</a>'
    assert link in html


def test_another_municipalitys_leader_cannot_save_our_task(client, naestved, hoersholm):
    mt = municipality_task(naestved)
    client.force_login(ProgrammeLeaderFactory(username="h2", municipality=hoersholm))
    assert client.post(mt.get_absolute_url(), {"state": "done", "version": 0}).status_code == 404
