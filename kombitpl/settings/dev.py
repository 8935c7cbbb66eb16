"""Local development: DEBUG on, a throw-away secret key, localhost only."""

from .base import *  # noqa: F403
from .base import ENV

DEBUG = ENV.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = ENV.get("DJANGO_SECRET_KEY") or "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = ENV.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
