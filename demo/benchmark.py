"""`manage.py bench`: each page and export against its anchors, measured in the same run.

A case is a callable timed `runs` times after a warm-up; p50 and p95 are over those runs. Its
SQL query count and its peak Python memory (tracemalloc) come from one more, untimed call.
Exports run in a child process each (`manage.py bench --child …`) so that its peak RSS is
its own; their warm-up is one export of the same rows in that child.
"""

import io
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klik.models import MunicipalityTask, Task
from portfolio.models import Municipality, SupportSystem, User

from . import bench, bench_sql

SUPPORT_SYSTEM = "sts-adgangsstyring"
EXPORT_COLUMNS = 12


@dataclass
class Timing:
    p50: float
    p95: float
    queries: int | None = None
    peak_mib: float | None = None
    runs: int = 0
    extra: dict = field(default_factory=dict)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def measure(fn, runs):
    """Time `fn` `runs` times after a warm-up; count its queries and peak memory once more."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Timing(
        statistics.median(times),
        percentile(times, 0.95),
        len(ctx.captured_queries),
        peak / 2**20,
        runs,
    )


# --- Data and users -------------------------------------------------------


def expected_tasks(scale):
    size = bench.BenchSize.scaled(scale)
    return size.projects * size.tasks_per_project


def bench_tasks():
    return Task.objects.filter(project__slug__startswith=bench.SLUG_PREFIX).count()


def ensure_database(out):
    """Create the PostgreSQL database of the bench settings when it does not exist yet."""
    db = settings.DATABASES["default"]
    try:
        connection.ensure_connection()
    except OperationalError:
        import psycopg2

        out(f"creating database {db['NAME']} …")
        server = psycopg2.connect(
            dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432,
            password=db["PASSWORD"] or None,
        )  # fmt: skip
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
        server.close()


def ensure_data(scale, out):
    """Load the benchmark data at `scale` unless it is already there."""
    ensure_database(out)
    call_command("migrate", verbosity=0)
    if bench_tasks() != expected_tasks(scale):
        out(f"building the benchmark data at {scale}× (load_bench --scale {scale}) …")
        call_command("load_bench", scale=scale, stdout=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    return users()


def users():
    steady = Municipality.objects.get(code=bench.STEADY_MUNICIPALITY)
    leader, _ = User.objects.get_or_create(
        username="bench-leader", defaults={"municipality": steady}
    )
    leader.groups.add(Group.objects.get(name=settings.PROGRAMME_LEADER_GROUP))
    staff, _ = User.objects.get_or_create(username="bench-kombit")
    staff.groups.add(Group.objects.get(name=settings.KOMBIT_STAFF_GROUP))
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return {"leader": leader, "staff": staff, "admin": admin}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return b"".join(response) if response.streaming else response.content

    return call


def raw(statements, **params):
    """The floor: `statements` run on connection.cursor(), every row fetched."""

    def call():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return call


def first_of_month(day, months=0):
    """The first day of the month `months` after `day`'s (the dashboard chart's window)."""
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def sql_params(municipality_id, today):
    first, end = first_of_month(today), first_of_month(today, 8)
    return {
        "m": municipality_id,
        "today": today,
        "soon": today + timedelta(days=settings.KLIK_WARNING_DAYS),
        "first": first,
        "end": end,
        "stalled": timezone.now() - timedelta(days=settings.KLIK_ESCALATION_DAYS),
    }


# --- Page cases -----------------------------------------------------------


def page_cases(people, today):
    """[(name, scope, case callable, {anchor name: callable})] for every page."""
    leader, staff = client_for(people["leader"]), client_for(people["staff"])
    admin = client_for(people["admin"])
    mine = people["leader"].municipality_id
    one, nation = sql_params(mine, today), sql_params(None, today)
    system = SupportSystem.objects.filter(slug=SUPPORT_SYSTEM).values_list("pk", flat=True).first()
    changelist = f"/admin/klik/municipalitytask/?municipality__id__exact={mine}"
    return [
        (
            "/klik/?status=red",
            "one",
            page(leader, "/klik/?status=red"),
            {
                "floor": raw(bench_sql.LIST_RED, **one),
                "admin": page(admin, changelist + "&colour=red"),
            },
        ),
        ("/klik/?status=red", "nation", page(staff, "/klik/?status=red"),
         {"floor": raw(bench_sql.LIST_RED, **nation)}),
        ("/klik/", "one", page(leader, "/klik/"),
         {"floor": raw(bench_sql.LIST_ALL, **one), "admin": page(admin, changelist)}),
        ("/klik/", "nation", page(staff, "/klik/"), {"floor": raw(bench_sql.LIST_ALL, **nation)}),
        ("/", "one", page(leader, "/"), {"floor": raw(bench_sql.DASHBOARD, **one)}),
        ("/", "nation", page(staff, "/"), {"floor": raw(bench_sql.DASHBOARD_NATION, **nation)}),
        ("/overblik/", "one", page(leader, "/overblik/"),
         {"floor": raw([bench_sql.OVERVIEW], **one)}),
        ("/overblik/", "nation", page(staff, "/overblik/"),
         {"floor": raw([bench_sql.OVERVIEW], **nation)}),
        (f"/overblik/{SUPPORT_SYSTEM}/", "one", page(leader, f"/overblik/{SUPPORT_SYSTEM}/"),
         {"floor": raw([bench_sql.SUPPORT_SYSTEM], **one, system=system)}),
        (f"/overblik/{SUPPORT_SYSTEM}/", "nation", page(staff, f"/overblik/{SUPPORT_SYSTEM}/"),
         {"floor": raw([bench_sql.SUPPORT_SYSTEM], **nation, system=system)}),
        ("/roller/bemanding/", "one", page(leader, "/roller/bemanding/"), {}),
    ]  # fmt: skip


# --- Export cases (each run in a child process) ---------------------------

EXPORTS = {
    # name: (user, query string, floor SQL, municipality scope)
    "one municipality": ("leader", "", bench_sql.ALL_EXPORT, True),
    "nation, red": ("staff", "status=red", bench_sql.RED_EXPORT, False),
    "nation, every task": ("staff", "", bench_sql.ALL_EXPORT, False),
}
EXPORT_ANCHORS = ("openpyxl", "xlsxwriter", "rustpy", "tablib")


def export_rows(sql, params):
    """The export's rows from a server-side cursor, as the writers get them."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            yield from chunk


def write_openpyxl(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KLIK-opgaver")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsxwriter(rows):
    import xlsxwriter

    out = io.BytesIO()
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "in_memory": False,
    }
    workbook = xlsxwriter.Workbook(out, options)
    sheet = workbook.add_worksheet("KLIK-opgaver")
    dates = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row[:6])
        sheet.write_datetime(index, 6, row[6], dates) if row[6] else None
        sheet.write_datetime(index, 7, row[7], dates) if row[7] else None
        sheet.write_row(index, 8, row[8:])
    workbook.close()
    return out.getvalue()


def write_rustpy(rows):
    from rustpy_xlsxwriter import write_worksheet

    names = [f"c{i}" for i in range(EXPORT_COLUMNS)]
    out = io.BytesIO()
    write_worksheet((dict(zip(names, row, strict=True)) for row in rows), out, "KLIK-opgaver")
    return out.getvalue()


def write_tablib(queryset):
    from django_tables2.export import TableExport

    from klik.tables import TaskTable

    return TableExport("xlsx", TaskTable(queryset)).export()


def export_child(case, method):
    """One export case by one method in this process: warm-up, then timed runs; JSON out."""
    who, query, sql, scoped = EXPORTS[case]
    people = users()
    user = people[who]
    today = timezone.localdate()
    params = sql_params(user.municipality_id if scoped else None, today)
    if method == "ours":
        client = client_for(user)
        fn = page(client, f"/klik/eksport.xlsx?{query}")
    elif method == "tablib":
        qs = MunicipalityTask.objects.visible_to(user).with_colour(today).for_table()
        fn = lambda: write_tablib(qs)  # noqa: E731
    else:
        writer = {"openpyxl": write_openpyxl, "xlsxwriter": write_xlsxwriter}.get(
            method, write_rustpy
        )
        fn = lambda: writer(export_rows(sql, params))  # noqa: E731
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    size = len(fn())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timing = Timing(
        statistics.median(times),
        percentile(times, 0.95),
        len(ctx.captured_queries),
        peak,
        runs,
        {"baseline_mib": baseline, "bytes": size},
    )
    print(json.dumps(asdict(timing)))


def run_child(case, method, runs):
    out = subprocess.run(
        [sys.executable, "manage.py", "bench", "--child", case, method, "--runs", str(runs)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"export {case}/{method} failed:\n{out.stderr[-2000:]}")
    return Timing(**json.loads(out.stdout.strip().splitlines()[-1]))


def export_cases(full):
    """[(case, scope, anchors)] of the exports; tablib only where it finishes in seconds."""
    cases = []
    for case, (_who, _query, _sql, scoped) in EXPORTS.items():
        if case == "nation, every task" and not full:
            continue
        anchors = [a for a in EXPORT_ANCHORS if a != "tablib" or scoped]
        cases.append((case, "one" if scoped else "nation", anchors))
    return cases


# --- The run ----------------------------------------------------------------


def run(*, runs, export_runs, scale, full, out, only=None):
    """Measure every case and its anchors; returns the results as a JSON-able dict."""
    people = ensure_data(scale, out)
    today = timezone.localdate()
    total = MunicipalityTask.objects.count()
    results = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "scale": scale,
        "municipality tasks": total,
        "steady municipality tasks": MunicipalityTask.objects.filter(
            municipality_id=people["leader"].municipality_id
        ).count(),
        "runs": runs,
        "pages": [],
        "exports": [],
    }
    out(f"{total:,} municipality tasks at {scale}×; {runs} runs after a warm-up per case")
    pages = page_cases(people, today)
    exports = export_cases(full)
    steps = sum(1 + len(a) for *_x, a in pages) + sum(1 + len(a) for *_x, a in exports)
    step = 0
    for name, scope, fn, anchors in pages:
        if only and only not in name:
            continue
        entry = {"case": name, "scope": scope, "anchors": {}}
        for label, call in [("case", fn), *anchors.items()]:
            step += 1
            out(f"[{step}/{steps}] {name} ({scope}): {label} …")
            timing = asdict(measure(call, runs))
            if label == "case":
                entry.update(timing)
            else:
                entry["anchors"][label] = timing
        results["pages"].append(entry)
    for case, scope, anchors in exports:
        if only and only not in "export":
            continue
        entry = {"case": f"export, {case}", "scope": scope, "anchors": {}}
        for label in ["ours", *anchors]:
            step += 1
            out(f"[{step}/{steps}] export {case}: {label} …")
            timing = asdict(run_child(case, label, export_runs))
            if label == "ours":
                entry.update(timing)
            else:
                entry["anchors"][label] = timing
        results["exports"].append(entry)
    return results


def table(results):
    """The results as a Markdown table: each case, then each anchor with its ratio."""
    lines = [
        f"{results['municipality tasks']:,} municipality tasks ({results['scale']}×), "
        f"{results['database']}, {results['date']}, p50/p95 of {results['runs']} runs",
        "",
        "| case | scope | p50 ms | p95 ms | queries | peak MiB | anchor | anchor p50 ms | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in results["pages"] + results["exports"]:
        anchors = list(entry["anchors"].items()) or [("—", None)]
        for i, (label, anchor) in enumerate(anchors):
            head = (
                f"| {entry['case']} | {entry['scope']} | {entry['p50']:.1f} | {entry['p95']:.1f} "
                f"| {entry['queries']} | {entry['peak_mib']:.0f} |"
                if i == 0
                else "| | | | | | |"
            )
            if anchor is None:
                lines.append(f"{head} — | | |")
            else:
                ratio = entry["p50"] / anchor["p50"] if anchor["p50"] else float("nan")
                lines.append(f"{head} {label} | {anchor['p50']:.1f} | {ratio:.2f}× |")
    return "\n".join(lines)


def _anchor_ratio(entry):
    """The case's p50 over its first anchor's (the floor, or the first other writer)."""
    anchors = list(entry["anchors"].values())
    return entry["p50"] / anchors[0]["p50"] if anchors and anchors[0]["p50"] else None


def growth_table(by_scale):
    """p50 of every case at each scale (with its ratio to its first anchor in the same run),
    the largest scale over 1×, and the same for the anchor ratio, which the machine's load
    affects less."""
    scales = sorted(by_scale)
    head = " | ".join(f"{s:g}× p50 ms (×anchor)" for s in scales)
    lines = [
        f"| case | scope | {head} | {scales[-1]:g}×/1× p50 | {scales[-1]:g}×/1× ×anchor |",
        "|---|---|" + "---|" * len(scales) + "---|---|",
    ]
    at = {
        s: {(e["case"], e["scope"]): e for e in by_scale[s]["pages"] + by_scale[s]["exports"]}
        for s in scales
    }
    one = at.get(1.0, {})
    for key in at[scales[-1]]:
        cells = []
        for s in scales:
            row = at[s].get(key)
            ratio = _anchor_ratio(row) if row else None
            shown = f"{row['p50']:.0f}" if row else "—"
            cells.append(f"{shown} ({ratio:.2f})" if ratio else shown)
        last, base = at[scales[-1]][key], one.get(key)
        grow = f"{last['p50'] / base['p50']:.2f}×" if base else "—"
        grow_ratio = "—"
        if base and _anchor_ratio(last) and _anchor_ratio(base):
            grow_ratio = f"{_anchor_ratio(last) / _anchor_ratio(base):.2f}×"
        lines.append(f"| {key[0]} | {key[1]} | {' | '.join(cells)} | {grow} | {grow_ratio} |")
    return "\n".join(lines)


def save(results, directory: Path):
    directory.mkdir(exist_ok=True)
    path = directory / f"scale-{results['scale']}.json"
    path.write_text(json.dumps(results, indent=1))
    return path
