"""Loads the municipalities and the deck's facts; safe to run on every start."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo import facts


class Command(BaseCommand):
    help = (
        "Load all 98 municipalities, the deck's facts (only into an empty catalogue, so edits "
        "made in admin survive) and every municipality's copy of every KLIK task."
    )

    def handle(self, *args, **options):
        fixtures = settings.BASE_DIR / "fixtures"
        count = facts.municipalities_load(path=fixtures / "kommuner.csv")
        self.stdout.write(f"Municipalities: {count} loaded or updated.")
        if facts.catalogue_is_empty():
            call_command("loaddata", fixtures / "deck.json", verbosity=0)
            self.stdout.write("Catalogue was empty: loaded the deck's facts (deck.json).")
        else:
            self.stdout.write("Catalogue already has data: deck.json not loaded.")
        made = facts.municipality_tasks_ensure_all()
        self.stdout.write(f"Municipality tasks: {made} missing copies created.")
