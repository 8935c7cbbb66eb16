from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverblikConfig(AppConfig):
    """The joined pages: dashboard, implementation overview, projects, interfaces, events."""

    name = "overblik"
    verbose_name = _("Overview")
