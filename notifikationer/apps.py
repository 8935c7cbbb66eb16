from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifikationerConfig(AppConfig):
    name = "notifikationer"
    verbose_name = _("Notifications")
