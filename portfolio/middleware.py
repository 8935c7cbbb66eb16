"""Request-wide behaviour: a request id and one JSON log line per request, and private
caching for everything a signed-in user sees."""

import logging
import re
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.utils.http import escape_leading_slashes

log = logging.getLogger("kombitpl.requests")
# A request id from the proxy is kept when it looks like one, so logs join across hosts.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_address(request):
    """The client's IP address. Behind PROXY_COUNT proxies that each append the address they
    were reached from to X-Forwarded-For, it is that many entries from the right; entries
    further left were written by the client and prove nothing."""
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def signed_in_user_id(request):
    """The user's id when this request has already loaded its user, else None. Never loads it
    here: with the database down that would fail again while the error is being answered."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Outermost: gives each request an id (X-Request-ID, in and out) and logs one line with
    method, path, status, duration, user id and that id when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        request.id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": signed_in_user_id(request),
                "request_id": request.id,
            },
        )
        return response


class PrivateCacheMiddleware:
    """Pages and exports for a signed-in user carry personal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Every login-required page has loaded its user by now (LoginRequiredMiddleware).
        if signed_in_user_id(request) is not None:
            patch_cache_control(response, private=True, no_store=True)
        return response


FILE_SUFFIXES = (".xlsx", ".ics", ".pdf")


class BlankParametersMiddleware:
    """A GET form sends every field, filled or not (`?q=&support_system=&…`). A page asked for
    with blank parameters is redirected to the same URL without them, so a filter URL says only
    what was chosen — without JavaScript (static/js/clean-get-forms.js spares the round trip).
    The admin keeps its own query strings, and files (exports, feeds) are served as asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.META.get("QUERY_STRING"):
            pairs = [(k, v) for k, values in request.GET.lists() for v in values]
            kept = [(k, v) for k, v in pairs if v.strip()]
            if (
                len(kept) < len(pairs)
                and not request.path.startswith("/admin/")
                and not (request.path.endswith(FILE_SUFFIXES))
            ):
                # The path as it was sent (still encoded), never "//host": no open redirect.
                path = escape_leading_slashes(escape_uri_path(request.path))
                target = path + (f"?{urlencode(kept)}" if kept else "")
                return HttpResponseRedirect(target)
        return self.get_response(request)
