"""Every page needs a login; the health check answers without one."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def plain_paths(patterns=None, prefix=""):
    """Every URL without parameters the project serves, admin's own pages left out."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route != "admin/":
                yield from plain_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
            path = "/" + prefix + route.lstrip("^").rstrip("$")
            if getattr(entry.callback, "login_required", True):
                yield path


PAGES = sorted(set(plain_paths()) | {"/", "/admin/klik/task/", "/admin/portfolio/user/"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_user_is_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_an_anonymous_user_opening_the_admin_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_admin_refuses_a_programme_leader_who_is_not_staff(leader_client):
    response = leader_client.get("/admin/klik/task/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_after_login_the_user_lands_where_they_were_going(client, leader):
    response = client.post(
        "/accounts/login/?next=/admin/", {"username": "naestved", "password": "pw", "next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_shows_the_login_form_again(client, leader):
    response = client.post("/accounts/login/", {"username": "naestved", "password": "forkert"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_the_login_page_is_in_danish(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="da">' in page
    assert 'name="username"' in page and 'name="password"' in page
    assert "Log ind" in page
    assert "Brugernavn" in page
    assert "Adgangskode" in page


@pytest.mark.django_db
def test_logging_out_sends_the_user_to_the_login_page(leader_client):
    response = leader_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert leader_client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_the_health_check_answers_503_when_the_database_fails(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"ok" not in response.content
