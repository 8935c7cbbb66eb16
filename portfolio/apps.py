from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from .groups import groups_ensure_after_migrate

        # Sent for the last of our apps, so every app's permissions exist by then.
        post_migrate.connect(
            groups_ensure_after_migrate,
            sender=self.apps.get_app_config("klik"),
            dispatch_uid="portfolio.groups_ensure",
        )


class KombitAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site as `admin.site`."""

    default = False

    default_site = "portfolio.sites.KombitAdminSite"
