"""`make bench`: every page and export against its floor, the admin and other writers."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from demo import benchmark

RESULTS_DIR = Path(settings.BASE_DIR) / "bench" / "results"


class Command(BaseCommand):
    help = (
        "Measure the pages and exports at national scale (p50, p95, queries, peak memory), each "
        "against its anchors in the same run. Loads the benchmark data when it is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="timed runs after a warm-up")
        parser.add_argument("--export-runs", type=int, default=7)
        parser.add_argument("--scale", type=float, default=1.0, help="load_bench --scale")
        parser.add_argument(
            "--no-full", action="store_true", help="skip the national export of every task"
        )
        parser.add_argument("--only", help="only the cases whose URL contains this")
        parser.add_argument(
            "--growth",
            action="store_true",
            help="print the growth table from the saved results of earlier runs",
        )
        parser.add_argument("--child", nargs=2, metavar=("CASE", "METHOD"), help="internal")

    def handle(self, *args, **options):
        if options["child"]:
            return benchmark.export_child(*options["child"])
        if options["growth"]:
            saved = [json.loads(p.read_text()) for p in sorted(RESULTS_DIR.glob("scale-*.json"))]
            by_scale = {r["scale"]: r for r in saved}
            self.stdout.write(benchmark.growth_table(by_scale))
            return
        results = benchmark.run(
            runs=options["runs"],
            export_runs=options["export_runs"],
            scale=options["scale"],
            full=not options["no_full"],
            out=lambda line: print(line, file=sys.stderr, flush=True),
            only=options["only"],
        )
        path = benchmark.save(results, RESULTS_DIR)
        self.stdout.write(benchmark.table(results))
        self.stdout.write(f"\nSaved to {path.relative_to(settings.BASE_DIR)}")
