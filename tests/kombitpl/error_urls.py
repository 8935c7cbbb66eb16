"""URLs that fail on purpose, for the error page tests: the site's own patterns plus these."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.urls import path

from kombitpl.urls import handler500, urlpatterns  # noqa: F401 - handler500 is looked up here


def fail(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("fejl/400/", fail(BadRequest("bad"))),
    path("fejl/403/", fail(PermissionDenied)),
    path("fejl/500/", fail(RuntimeError("secret detail in the traceback"))),
    path("fejl/db/", fail(OperationalError("server closed the connection unexpectedly"))),
    *urlpatterns,
]
