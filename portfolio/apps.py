from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
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
