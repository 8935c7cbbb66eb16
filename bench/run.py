"""National-scale benchmarks: the ORM and the pages against hand-written SQL.

    make bench                      # SQLite file var/bench.sqlite3, built on first run
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kombitpl_bench make bench
    make bench BENCH_ARGS="--full"  # adds the nation-wide export of every task (slow)

Prints the median of several runs after a warm-up, the SQL query count of each page, and the
peak memory of each export (measured in a fresh child process).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ["DJANGO_SETTINGS_MODULE"] = "kombitpl.settings.test"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{BASE / 'var' / 'bench.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from klik.models import MunicipalityTask  # noqa: E402
from portfolio.models import Municipality, User  # noqa: E402

RUNS = 7

RAW_RED = """
    FROM klik_municipalitytask mt
    JOIN klik_task t ON t.id = mt.task_id
    WHERE {scope} mt.state <> 'done'
      AND COALESCE(t.starts_on, t.published_on) <= %(today)s
      AND (mt.state = 'blocked' OR t.deadline < %(today)s)
"""
RAW_PAGE = """
    SELECT mt.id, m.name, p.short_name, t.title, t.deadline, r.name, e.name
    FROM klik_municipalitytask mt
    JOIN klik_task t ON t.id = mt.task_id
    JOIN portfolio_municipality m ON m.id = mt.municipality_id
    LEFT JOIN portfolio_project p ON p.id = t.project_id
    LEFT JOIN rollegalleri_person r ON r.id = mt.responsible_id
    LEFT JOIN rollegalleri_person e ON e.id = mt.executor_id
    WHERE mt.id IN (SELECT mt.id {red})
    ORDER BY t.deadline, mt.id LIMIT 50
"""


def median_ms(fn, runs=RUNS):
    """Median wall time of fn() in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def queries_of(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def report(label, fn, count_queries=True):
    med, lo, hi = median_ms(fn)
    queries = queries_of(fn) if count_queries else "-"
    print(f"{label:<58} {med:9.1f} ms  (min {lo:.1f}, max {hi:.1f})  queries {queries}")
    return med


def ensure_data():
    call_command("migrate", verbosity=0)
    if MunicipalityTask.objects.count() < 100_000:
        print("building national-scale data (load_bench) …", flush=True)
        start = time.perf_counter()
        call_command("load_bench", verbosity=0)
        print(f"  load_bench took {time.perf_counter() - start:.1f} s")
    leader, _ = User.objects.get_or_create(
        username="bench-leader", defaults={"municipality": Municipality.objects.get(code="370")}
    )
    staff, _ = User.objects.get_or_create(username="bench-kombit")
    staff.groups.add(Group.objects.get(name=settings.KOMBIT_STAFF_GROUP))
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return leader, staff, admin


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        b"".join(response) if response.streaming else response.content

    return call


def raw_sql(municipality_id, today):
    scope = "mt.municipality_id = %(m)s AND" if municipality_id else ""
    red = RAW_RED.format(scope=scope)
    params = {"m": municipality_id, "today": today}

    def call():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {red}", params)
            cursor.fetchone()
            cursor.execute(RAW_PAGE.format(red=red), params)
            cursor.fetchall()

    return call


def orm(municipality_id, today):
    def call():
        qs = MunicipalityTask.objects.with_colour(today).filter(colour="red")
        if municipality_id:
            qs = qs.filter(municipality_id=municipality_id)
        qs.count()
        list(qs.for_table().order_by("task__deadline", "pk")[:50])

    return call


def raw_counts(municipality_id, today):
    scope = "WHERE mt.municipality_id = %(m)s" if municipality_id else ""
    sql = f"""
        SELECT CASE
          WHEN mt.state = 'done' THEN 'green'
          WHEN COALESCE(t.starts_on, t.published_on) > %(today)s THEN 'grey'
          WHEN mt.state = 'blocked' OR t.deadline < %(today)s THEN 'red'
          WHEN mt.responsible_id IS NULL OR mt.executor_id IS NULL OR mt.needs_help
               OR (mt.state = 'not_started' AND t.deadline <= %(soon)s) THEN 'yellow'
          ELSE 'green' END AS colour, COUNT(*)
        FROM klik_municipalitytask mt JOIN klik_task t ON t.id = mt.task_id
        {scope} GROUP BY 1
    """
    soon = today + timezone.timedelta(days=settings.KLIK_WARNING_DAYS)

    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, {"m": municipality_id, "today": today, "soon": soon})
            cursor.fetchall()

    return call


def orm_counts(municipality_id, today):
    def call():
        qs = MunicipalityTask.objects.with_colour(today)
        if municipality_id:
            qs = qs.filter(municipality_id=municipality_id)
        qs.colour_counts()

    return call


def export_once(username, query):
    """One export in this process; prints seconds, peak MiB and the file's size."""
    client = client_for(User.objects.get(username=username))
    start = time.perf_counter()
    response = client.get(f"/klik/eksport.xlsx?{query}")
    assert response.status_code == 200, response.status_code
    size = len(b"".join(response) if response.streaming else response.content)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(seconds, peak, size)


def export_in_child(username, query):
    """Run one export in a fresh process; returns (seconds, peak MiB, bytes)."""
    out = subprocess.run(
        [sys.executable, __file__, "--export-child", username, query],
        cwd=BASE,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak, size = out.stdout.split()[-3:]
    return float(seconds), float(peak), int(size)


def report_export(label, username, query, runs=3):
    results = [export_in_child(username, query) for _ in range(runs)]
    seconds = statistics.median(r[0] for r in results)
    peak = max(r[1] for r in results)
    size = results[0][2]
    print(f"{label:<58} {seconds * 1000:9.1f} ms  peak RSS {peak:.0f} MiB  {size / 1e6:.2f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also export every task nationally")
    parser.add_argument("--export-child", nargs=2, metavar=("USERNAME", "QUERY"))
    args = parser.parse_args()
    if args.export_child:
        return export_once(*args.export_child)
    (BASE / "var").mkdir(exist_ok=True)
    leader, staff, admin = ensure_data()
    today = timezone.localdate()
    naestved = leader.municipality_id
    total = MunicipalityTask.objects.count()
    print(f"\ndatabase: {connection.vendor}; municipality tasks: {total:,}; today: {today}\n")

    print("-- red tasks: count + first page of 50")
    raw1 = report("raw SQL, one municipality", raw_sql(naestved, today))
    orm1 = report("ORM with_colour, one municipality", orm(naestved, today))
    rawn = report("raw SQL, all municipalities", raw_sql(None, today))
    ormn = report("ORM with_colour, all municipalities", orm(None, today))
    print(f"   ORM / raw: one {orm1 / raw1:.1f}x, all {ormn / rawn:.1f}x")

    print("-- colour counts (one aggregate)")
    report("raw SQL GROUP BY, one municipality", raw_counts(naestved, today))
    report("ORM colour_counts, one municipality", orm_counts(naestved, today))
    report("raw SQL GROUP BY, all municipalities", raw_counts(None, today))
    report("ORM colour_counts, all municipalities", orm_counts(None, today))

    print("-- pages through the test client (no network)")
    lc, sc, ac = client_for(leader), client_for(staff), client_for(admin)
    report("/klik/?status=red, programme leader", get(lc, "/klik/?status=red"))
    report("/klik/?status=red, KOMBIT staff (nation)", get(sc, "/klik/?status=red"))
    report("/klik/?per_page=200, KOMBIT staff", get(sc, "/klik/?per_page=200"))
    report("/ dashboard, programme leader", get(lc, "/"))
    report("/ dashboard, KOMBIT staff (nation)", get(sc, "/"))
    report("/overblik/, KOMBIT staff", get(sc, "/overblik/"))
    report("/roller/bemanding/, programme leader", get(lc, "/roller/bemanding/"))
    report(
        "/admin/klik/municipalitytask/?municipality=370",
        get(ac, f"/admin/klik/municipalitytask/?municipality__id__exact={naestved}"),
    )

    print("-- Excel export (fresh process each; time includes the HTTP handling)")
    report_export("one municipality, all its tasks", "bench-leader", "")
    report_export("nation, red only", "bench-kombit", "status=red")
    if args.full:
        report_export("nation, every task", "bench-kombit", "", runs=1)
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthis process peak RSS: {usage:.0f} MiB")


if __name__ == "__main__":
    main()
