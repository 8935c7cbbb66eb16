from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrugereConfig(AppConfig):
    name = "brugere"
    verbose_name = _("User administration")
