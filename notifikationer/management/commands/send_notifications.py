"""The scheduler: `manage.py send_notifications` once a day from cron, or `--every` seconds
from `make run`. Idempotent: a second run the same day sends nothing new.

The mails it queues are sent by the background worker (`manage.py db_worker`). With
`--deliver` it sends them itself, each recorded and retried the same way, so it needs
no worker beside it."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifikationer.services import notifications_send, trend_backfill


class Command(BaseCommand):
    help = "Record today's colour counts and queue the mails that are due (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act as (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds (0: once)."
        )
        parser.add_argument(
            "--backfill", action="store_true", help="First fill the trend's missing weeks."
        )
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="Send the mails here instead of handing them to the worker (none needed).",
        )

    def handle(self, *args, today=None, every=0, backfill=False, deliver=False, **options):
        day = self._day(today)
        if backfill:
            days = trend_backfill(today=day or timezone.localdate())
            self.stdout.write(f"Trend: {days} weeks backfilled.")
        while True:
            try:
                report = notifications_send(today=day, deliver=deliver)
            except Exception as error:
                if not every:
                    raise
                # In a loop (make run) one failed round must not stop the next.
                self.stderr.write(f"send_notifications failed: {error!r}")
            else:
                self.stdout.write(
                    f"{timezone.now():%Y-%m-%d %H:%M}: {report.queued} mails queued, "
                    f"{report.retried} retried, {report.trend_rows} trend rows."
                )
            if not every:
                return
            time.sleep(every)

    def _day(self, value):
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD, not {value!r}.") from error
