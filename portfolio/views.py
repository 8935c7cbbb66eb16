"""Views every deployment needs whatever the pages above: health check, login, error pages."""

import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


@login_not_required
@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise. No login, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def is_local_path(url):
    """True for a path on this site ("/klik/?status=red"), never another host or scheme."""
    parts = urlsplit(url)
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
    )


class LoginView(auth_views.LoginView):
    """Django's login, whose `next` may only be a local path: a full URL, even to this host,
    is dropped, so a login link can never send the user elsewhere."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return url if is_local_path(url) else ""


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login during a cool-off: 429 and when to try again."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@requires_csrf_token
def server_error(request):
    """500, or 503 when the database is what failed: a restart or an outage is temporary.
    Rendered without the request's context, which would ask the failed database again."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        body = loader.get_template("503.html").render({})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({}))


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A refused form (an expired page, cookies off) as the design system's 403, in Danish."""
    body = loader.get_template("403_csrf.html").render({}, request)
    return HttpResponseForbidden(body)
