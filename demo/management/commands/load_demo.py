"""Demo data and demo logins for `make run`. Never used in production."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import demo_data as demo
from demo import facts
from portfolio.models import Municipality

REFUSED_IN_PRODUCTION = (
    "load_demo makes demo logins such as admin/admin and is refused under these settings "
    "(DEMO_DATA_ALLOWED is False, as in production)."
)

# The demo logins of DESIGN.md. Their passwords live here and nowhere else.
LOGINS = [
    demo.Login("admin", "admin", superuser=True),
    demo.Login("kombit", "kombit", group=settings.KOMBIT_STAFF_GROUP, staff=True),
    demo.Login(
        "naestved",
        "naestved",
        demo.NAESTVED,
        settings.PROGRAMME_LEADER_GROUP,
        email="mette.lund@example.dk",
        full_name="Mette Lund",
    ),
    demo.Login(
        "hoersholm",
        "hoersholm",
        demo.HOERSHOLM,
        settings.PROGRAMME_LEADER_GROUP,
        email="lise.berg@example.dk",
        full_name="Lise Berg",
    ),
]


class Command(BaseCommand):
    help = (
        "Add demo data (KLIK tasks dated relative to today, persons, role assignments) and the "
        "demo logins. A second run changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(REFUSED_IN_PRODUCTION)
        if facts.catalogue_is_empty() or not Municipality.objects.exists():
            call_command("load_facts", stdout=self.stdout)
        users = demo.demo_users_ensure(logins=LOGINS)
        self.stdout.write(f"Demo logins created: {', '.join(users) or 'none (all exist)'}.")
        made = demo.demo_load()
        self.stdout.write(
            "Demo data created: " + ", ".join(f"{n} {what}" for what, n in made.items()) + "."
        )
