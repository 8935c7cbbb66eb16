from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollegalleriConfig(AppConfig):
    name = "rollegalleri"
    verbose_name = _("Rollegalleri")
