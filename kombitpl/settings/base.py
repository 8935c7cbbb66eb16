"""Settings shared by every environment.

The environment is read here and nowhere else; dev/prod/test only hold differences.
"""

import os
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

# --- Applications ---------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "portfolio",
    "rollegalleri",
    "klik",
    "overblik",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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
# Uploaded files (imports waiting for confirmation) live here, never in the browser.
MEDIA_ROOT = Path(ENV.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Background work -------------------------------------------------------

# The django-tasks API with its database backend: the worker (`manage.py db_worker`) reads the
# queue from the same database, so SQLite and PostgreSQL both work without another service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Tables ---------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# --- Domain ---------------------------------------------------------------

# Days before the deadline at which a not-started KLIK task turns yellow.
KLIK_WARNING_DAYS = int(ENV.get("KLIK_WARNING_DAYS", "14"))
# Days without a change after which a red or yellow task is listed for escalation.
KLIK_ESCALATION_DAYS = int(ENV.get("KLIK_ESCALATION_DAYS", "14"))
# Group names; the data migration in portfolio creates them with their permissions.
KOMBIT_STAFF_GROUP = "KOMBIT-medarbejdere"
PROGRAMME_LEADER_GROUP = "Programledere"
# KLIK imports (`manage.py import_klik`, /klik/import/): the largest file and the most rows.
KLIK_IMPORT_MAX_BYTES = int(ENV.get("KLIK_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
KLIK_IMPORT_MAX_ROWS = int(ENV.get("KLIK_IMPORT_MAX_ROWS", "50000"))
AUTHENTICATION_BACKENDS = ["portfolio.backends.UserWithMunicipalityBackend"]
