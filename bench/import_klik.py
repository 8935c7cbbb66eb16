"""The KLIK import at the issue's scale: KOMBIT's catalogue of 2,400 tasks published to every
municipality, and one programme leader's round trip of 2,400 rows.

    make bench-import                                  # fresh PostgreSQL database, then drop it
    make bench-import BENCH_ARGS="--tasks 100"         # a CI-sized run
    BENCH_DATABASE_URL=postgres://… make bench-import  # an existing (emptied) database

Without BENCH_DATABASE_URL it creates the PostgreSQL database kombitpl_bench_import on
127.0.0.1 (createdb/dropdb as user postgres), loads the facts (load_facts: the 98
municipalities, projects, support systems, interfaces), and drops it afterwards unless --keep.
Prints the seconds of each step and whether the issue's targets (catalogue under 60 s, round
trip under 10 s) were met. Each import goes through klik_import, as the command and the page.
"""

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
DB_NAME = "kombitpl_bench_import"
PG = ["-h", "127.0.0.1", "-U", "postgres"]

CATALOGUE_TARGET = 60.0
ROUND_TRIP_TARGET = 10.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=2400, help="rows of the sheets (2400)")
    parser.add_argument("--keep", action="store_true", help="keep the database made here")
    parser.add_argument("--profile", action="store_true", help="cProfile the applying imports")
    return parser.parse_args()


def database_url(args):
    """The database to use: BENCH_DATABASE_URL, or a fresh one made here."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url, False
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}", True


def main():
    args = parse_args()
    url, made_here = database_url(args)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kombitpl.settings.test"
    os.environ["DATABASE_URL"] = url
    try:
        return run(args)
    finally:
        if made_here and not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)


class Timer:
    def __init__(self):
        self.figures = {}

    def __call__(self, label, fn, profile=False):
        start = time.perf_counter()
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(fn)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(25)
        else:
            result = fn()
        seconds = time.perf_counter() - start
        self.figures[label] = seconds
        print(f"  {label:<52} {seconds:8.2f} s", flush=True)
        return result


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_facts", verbosity=0, stdout=io.StringIO())
    from klik.imports import klik_import
    from klik.models import MunicipalityTask, MunicipalityTaskChange, Task
    from portfolio.models import Municipality

    kombit, leader, municipality = users_and_persons()
    clock = Timer()
    n = args.tasks
    municipalities = Municipality.objects.count()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); "
        f"municipalities: {municipalities}; tasks in the sheet: {n:,}"
    )

    print("-- KOMBIT's catalogue: a KLIK-style sheet of new tasks")
    data = clock("build the sheet (openpyxl, not the import)", lambda: catalogue_sheet(n))
    tasks_before = Task.objects.count()
    copies_before = MunicipalityTask.objects.count()

    def catalogue(dry_run):
        return lambda: klik_import(io.BytesIO(data), user=kombit, dry_run=dry_run)

    report = clock("catalogue import, dry run", catalogue(True))
    assert report.totals["created"] == n and not report.refused, (report.error, report.totals)
    report = clock("catalogue import, applied", catalogue(False), args.profile)
    assert report.applied, report.error
    made = MunicipalityTask.objects.count() - copies_before
    print(
        f"     {Task.objects.count() - tasks_before:,} tasks created, "
        f"{made:,} municipality copies published"
    )
    report = clock("the same file again (every row unchanged)", catalogue(False))
    assert report.totals["unchanged"] == n, report.totals

    rows = MunicipalityTask.objects.filter(municipality=municipality).count()
    print(f"-- a programme leader's round trip ({municipality.name}, all its {rows:,} rows)")
    exported = clock("export /klik/eksport.xlsx", lambda: export(leader))
    edited = clock("edit Ansvarlig, Udfører, Tilstand (openpyxl)", lambda: edit(exported, leader))
    history_before = MunicipalityTaskChange.objects.count()

    def round_trip(dry_run):
        return lambda: klik_import(
            io.BytesIO(edited), user=leader, municipality=municipality, dry_run=dry_run
        )

    report = clock("round-trip import, dry run", round_trip(True))
    assert not report.refused, (report.error, report.refused_rows[:3])
    updated = report.totals["updated"]
    report = clock("round-trip import, applied", round_trip(False), args.profile)
    assert report.applied, report.error
    history = MunicipalityTaskChange.objects.count() - history_before
    print(f"     {updated:,} rows updated, {history:,} history rows written")
    report = clock("the same file again (every row unchanged)", round_trip(False))
    assert report.totals["unchanged"] == report.totals["updated"] + report.totals["unchanged"]

    print("-- targets (the issue, for 2,400 tasks)")
    figures = clock.figures
    verdicts = [
        ("catalogue, applied", figures["catalogue import, applied"], CATALOGUE_TARGET),
        ("round trip, applied", figures["round-trip import, applied"], ROUND_TRIP_TARGET),
    ]
    for label, seconds, target in verdicts:
        verdict = "met" if seconds < target else "MISSED"
        print(f"  {label:<52} {seconds:8.2f} s  (target < {target:.0f} s: {verdict})")
    return 0 if all(seconds < target for _, seconds, target in verdicts) else 1


def users_and_persons():
    """A KOMBIT staff user; Næstved's programme leader and 40 persons of Næstved."""
    from django.conf import settings
    from django.contrib.auth.models import Group

    from portfolio.models import Municipality, User
    from rollegalleri.models import Person

    kombit, _ = User.objects.get_or_create(username="bench-import-kombit")
    kombit.groups.add(Group.objects.get(name=settings.KOMBIT_STAFF_GROUP))
    municipality = Municipality.objects.get(code="370")
    leader, _ = User.objects.get_or_create(
        username="bench-import-leader", defaults={"municipality": municipality}
    )
    leader.groups.add(Group.objects.get(name=settings.PROGRAMME_LEADER_GROUP))
    Person.objects.bulk_create(
        [
            Person(
                municipality=municipality,
                name=f"Bench Person {i:02d}",
                email=f"bench{i:02d}@naestved.example.dk",
            )
            for i in range(40)
        ]
    )
    return User.objects.get(pk=kombit.pk), User.objects.get(pk=leader.pk), municipality


HEADER = [
    "KLIK-id",
    "Opgavetitel",
    "Projekt",
    "Støttesystem",
    "Snitflader",
    "Startdato",
    "Slutdato",
    "Type",
    "Beskrivelse",
]


def catalogue_sheet(n):
    """A KLIK-style sheet: title rows, then `n` new tasks over the facts' projects."""
    import datetime

    import openpyxl

    from portfolio.models import Interface, Project

    projects = list(Project.objects.order_by("slug"))
    interfaces = {}
    for interface in Interface.objects.select_related("support_system").order_by("code"):
        if interface.support_system_id:
            interfaces.setdefault(interface.support_system, []).append(interface.code)
    systems = list(interfaces)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("KLIK")
    sheet.append(["KLIK-opgaver, udtræk til benchmark"])
    sheet.append([])
    sheet.append(HEADER)
    start = datetime.date(2027, 1, 4)
    for i in range(n):
        project = projects[i % len(projects)]
        system = systems[i % len(systems)] if systems else None
        codes = ", ".join(interfaces[system][:2]) if system else ""
        begins = start + datetime.timedelta(days=i % 200)
        sheet.append(
            [
                f"KLIK-B-{i:05d}",
                f"Benchmarkopgave {i:05d}: forbered overgangen",
                project.short_name,
                system.name if system else "",
                codes,
                begins,
                begins + datetime.timedelta(days=60),
                "Løsningsspecifik",
                "Genereret af bench/import_klik.py",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(leader):
    from django.test import Client

    client = Client()
    client.force_login(leader)
    response = client.get("/klik/eksport.xlsx")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def edit(data, leader):
    """Every row of the export with a new responsible, executor and state."""
    import openpyxl

    from rollegalleri.models import Person

    names = list(
        Person.objects.filter(municipality=leader.municipality, retired_on__isnull=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    states = ["I gang", "Løst", "Kan ikke nås til tiden", "Ikke påbegyndt"]
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = workbook["KLIK-opgaver"].iter_rows()
    header = [cell.value for cell in next(rows)]
    who, does, state = (header.index(h) for h in ("Ansvarlig", "Udfører", "Tilstand"))
    for i, row in enumerate(rows):
        row[who].value = names[i % len(names)]
        row[does].value = names[(i + 7) % len(names)]
        row[state].value = states[i % len(states)]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
