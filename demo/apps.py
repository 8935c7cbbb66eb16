from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Generated data: the deck's facts, the demo data and the national benchmark data."""

    name = "demo"
    verbose_name = _("Demo and benchmark data")
