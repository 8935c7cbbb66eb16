"""manage.py import_klik FILE.xlsx [--dry-run] [--municipality CODE] [--skip-refused]"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from klik.imports import klik_import
from klik.imports.report import OUTCOME_LABELS
from portfolio.models import Municipality, User


class Command(BaseCommand):
    help = (
        "Import a KLIK-style sheet into the catalogue, or (with --municipality) a municipality's "
        "edited export. Prints a report per row; exits with 1 when anything was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--municipality", metavar="CODE", help="round trip of its export")
        parser.add_argument(
            "--skip-refused", action="store_true", help="write the good rows, skip refused ones"
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="who imports (the history names them)"
        )

    def handle(self, *args, file, dry_run, municipality, skip_refused, user, **options):
        municipality = self._municipality(municipality)
        importer = self._user(user, municipality)
        progress = (lambda text: self.stderr.write(str(text))) if options["verbosity"] else None
        try:
            with open(file, "rb") as handle:
                report = klik_import(
                    handle,
                    user=importer,
                    municipality=municipality,
                    dry_run=dry_run,
                    skip_refused=skip_refused,
                    progress=progress,
                )
        except OSError as error:
            raise CommandError(str(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        with translation.override("da"):
            self._print(report)
        if report.refused:
            raise SystemExit(1)

    def _municipality(self, code):
        if code is None:
            return None
        try:
            return Municipality.objects.get(code=code)
        except Municipality.DoesNotExist:
            raise CommandError(f"Ingen kommune med koden {code}.") from None

    def _user(self, username, municipality):
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"Ingen bruger {username}.") from None
        if municipality is not None:
            raise CommandError("Angiv --user: ændringerne i kommunens opgaver skrives i dens navn.")
        # The catalogue from the shell: the shell's operator acts as an admin.
        return User(username="manage.py", is_superuser=True)

    def _print(self, report):
        if report.error:
            self.stdout.write(f"Afvist: {report.error}")
        for row in report.rows:
            where = f"{row.sheet}!{row.column or '-'} række {row.row}"
            line = f"{where}: {row.outcome_label}"
            if row.reason:
                line += f" – {row.reason}"
            self.stdout.write(line)
        totals = report.totals
        self.stdout.write(
            " · ".join(f"{row_label(o)} {n}" for o, n in totals.items())
            + (" (prøvekørsel: intet skrevet)" if report.dry_run else "")
            + ("" if report.applied or report.dry_run else " (intet skrevet)")
        )


def row_label(outcome):
    return str(OUTCOME_LABELS[outcome]).capitalize()
