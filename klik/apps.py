from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlikConfig(AppConfig):
    name = "klik"
    verbose_name = _("KLIK")
