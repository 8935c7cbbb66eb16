"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE=kombitpl.settings.prod."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombitpl.settings.prod")

application = get_wsgi_application()
