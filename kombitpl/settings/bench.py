"""`make bench`: production-like (DEBUG off, cached templates) on its own PostgreSQL database."""

import dj_database_url

from .base import *  # noqa: F403
from .base import BENCH_DATABASE_URL

SECRET_KEY = "bench-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(BENCH_DATABASE_URL, conn_max_age=600)}
DATABASES["default"]["OPTIONS"] = {"options": "-c cursor_tuple_fraction=1.0"}  # as in base
# Whitenoise looks static files up on request, so no collectstatic is needed.
WHITENOISE_AUTOREFRESH = True
# The bench times the exports themselves, so none is sent to the background worker.
KLIK_EXPORT_JOB_ROWS = 10**9
# The request log stays on (production writes it too) but goes nowhere: the bench's own
# progress and table are its output.
LOGGING["loggers"]["kombitpl.requests"]["handlers"] = []  # noqa: F405
