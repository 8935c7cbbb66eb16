"""Settings shared by every environment.

The environment is read here and nowhere else; dev/prod/test only hold differences.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Environment ----------------------------------------------------------

ENV = os.environ
SECRET_KEY = ENV.get("DJANGO_SECRET_KEY", "")
DEBUG = ENV.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in ENV.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in ENV.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
DATABASE_URL = ENV.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Hours a login lasts: a working day, then the user logs in again.
SESSION_HOURS = float(ENV.get("DJANGO_SESSION_HOURS", "8"))
# Failed logins (per user name and client address) before a cool-off, and its length.
LOGIN_FAILURE_LIMIT = int(ENV.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(ENV.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, use REMOTE_ADDR).
PROXY_COUNT = int(ENV.get("DJANGO_PROXY_COUNT", "0"))
# Where the footer's "Tilgængelighedserklæring" points: the operator's WAS-Tool statement.
ACCESSIBILITY_STATEMENT_URL = ENV.get(
    "DJANGO_ACCESSIBILITY_STATEMENT_URL", "https://www.was.digst.dk/"
)
# Server errors are mailed to these addresses (comma-separated); none: no mail.
ADMINS = [(a.strip(), a.strip()) for a in ENV.get("DJANGO_ADMINS", "").split(",") if a.strip()]
SERVER_EMAIL = ENV.get("DJANGO_SERVER_EMAIL", "root@localhost")
LOG_LEVEL = ENV.get("DJANGO_LOG_LEVEL", "INFO")
# `make bench` (settings.bench) runs against its own PostgreSQL database, never the real one.
BENCH_DATABASE_URL = ENV.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kombitpl_bench"
)

# --- Applications ---------------------------------------------------------

INSTALLED_APPS = [
    "portfolio.apps.KombitAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "portfolio",
    "rollegalleri",
    "klik",
    "notifikationer",
    "overblik",
    "demo",
    "brugere",
]

MIDDLEWARE = [
    "portfolio.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portfolio.middleware.BlankParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portfolio.middleware.PrivateCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the cool-off page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kombitpl.urls"
WSGI_APPLICATION = "kombitpl.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a web app's database: readers never wait for the writer (WAL), a write
    # transaction takes the lock at BEGIN, so two saves queue instead of failing with
    # "database is locked" halfway, and a waiting save gives up only after `timeout` seconds.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side cursors (.iterator(), the Excel exports) read every row, so plan for all of
    # them, not PostgreSQL's default first tenth, which picks slow plans for whole exports.
    DATABASES["default"]["OPTIONS"] = {"options": "-c cursor_tuple_fraction=1.0"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------

AUTH_USER_MODEL = "portfolio.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overblik:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions and login throttling live in the database, so app servers keep no state.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(SESSION_HOURS * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: a cool-off after too many failures, never a permanent lock.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portfolio.views.locked_out"
# The client's address as our own proxies saw it (DJANGO_PROXY_COUNT), never one it claims.
AXES_CLIENT_IP_CALLABLE = "portfolio.middleware.client_address"

# --- Security headers -----------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The load balancer's health check speaks plain HTTP; it must get 200 or 503, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_FAILURE_VIEW = "portfolio.views.csrf_failure"

# django-csp 4: scripts and styles only from our own static files; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Language and time ----------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files (attachments, background exports) go through Django's storage
# API: the file system under MEDIA_ROOT by default, or another backend (e.g. django-storages'
# "storages.backends.s3.S3Storage") with its OPTIONS as JSON. Files are never served from a
# media URL, only by a view that checks access.
MEDIA_ROOT = Path(ENV.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": ENV.get("DJANGO_DEFAULT_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(ENV.get("DJANGO_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Background work -------------------------------------------------------

# The django-tasks API with its database backend: the worker (`manage.py db_worker`) reads the
# queue from the same database, so SQLite and PostgreSQL both work without another service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Mail -------------------------------------------------------------------

# SMTP in production (the notifications and the server-error mails to ADMINS); dev.py prints
# mails to the console and test.py keeps them in memory.
EMAIL_BACKEND = ENV.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = ENV.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(ENV.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = ENV.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = ENV.get("DJANGO_EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = ENV.get("DJANGO_EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(ENV.get("DJANGO_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = ENV.get("DJANGO_DEFAULT_FROM_EMAIL", "KOMBIT-programleder <noreply@localhost>")
# Absolute links in mails and the calendar feed start with this (no trailing slash).
SITE_URL = ENV.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Tables ---------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# --- Domain ---------------------------------------------------------------

# Days before the deadline at which a not-started KLIK task turns yellow.
KLIK_WARNING_DAYS = int(ENV.get("KLIK_WARNING_DAYS", "14"))
# Days without a change after which a red or yellow task is listed for escalation.
KLIK_ESCALATION_DAYS = int(ENV.get("KLIK_ESCALATION_DAYS", "14"))
# Days before the deadline at which the responsible and executor get a reminder.
KLIK_REMINDER_DAYS = int(ENV.get("KLIK_REMINDER_DAYS", "14"))
# How far back the scheduler looks for assignments, publications and tasks turning red; runs
# at least daily, so a few days' margin covers a missed run without mailing old news.
NOTIFY_LOOKBACK_DAYS = int(ENV.get("NOTIFY_LOOKBACK_DAYS", "3"))
# Sending attempts before a failed mail is given up.
MAIL_MAX_ATTEMPTS = int(ENV.get("MAIL_MAX_ATTEMPTS", "5"))
# The gallery role whose primary holder is a municipality's programme leader for mail too.
PROGRAMME_LEADER_ROLE_SLUG = "kombit-programleder"
# An Excel export of more rows than this is made in the background by the worker, so no
# request waits for it; its file is kept for a day, for the user who asked for it only.
KLIK_EXPORT_JOB_ROWS = int(ENV.get("KLIK_EXPORT_JOB_ROWS", "50000"))
# Group names; the data migration in portfolio creates them with their permissions.
KOMBIT_STAFF_GROUP = "KOMBIT-medarbejdere"
PROGRAMME_LEADER_GROUP = "Programledere"
PROJECT_LEADER_GROUP = "Projektledere"
READER_GROUP = "Læsere"
# A municipality's own user administration (/brugere/); given with one of the roles above.
KLIK_ADMIN_GROUP = "KLIK-administrator"
# KLIK imports (`manage.py import_klik`, /klik/import/): the largest file and the most rows.
KLIK_IMPORT_MAX_BYTES = int(ENV.get("KLIK_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
KLIK_IMPORT_MAX_ROWS = int(ENV.get("KLIK_IMPORT_MAX_ROWS", "50000"))

# --- Attachments ------------------------------------------------------------

# The largest attachment accepted, in bytes (default 20 MB). Django's own request limits follow
# it, and the proxy in front must allow a body this large too (nginx: client_max_body_size).
KLIK_ATTACHMENT_MAX_BYTES = int(ENV.get("KLIK_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = KLIK_ATTACHMENT_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = KLIK_ATTACHMENT_MAX_BYTES
# Dotted path of a callable(file) run before an attachment is accepted, e.g. a clamd client;
# it raises ValidationError to refuse the file. Any other error refuses it too.
KLIK_ATTACHMENT_SCANNER = ENV.get("KLIK_ATTACHMENT_SCANNER", "")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portfolio.backends.UserWithMunicipalityBackend",
]
# Demo data and its admin/admin login; production settings turn this off.
DEMO_DATA_ALLOWED = True

# --- Logging --------------------------------------------------------------

# One JSON line per request on standard output (portfolio.middleware.RequestLogMiddleware);
# server errors also go by mail to ADMINS when it is set.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portfolio.logs.JsonFormatter"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # The request log says it once; django.server's own line would repeat it.
        "django.server": {"handlers": [], "propagate": False},
        "kombitpl.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes.apps": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
