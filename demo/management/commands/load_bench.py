"""National-scale benchmark data, deterministic from a seed."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo import bench, facts
from portfolio.models import Municipality


class Command(BaseCommand):
    help = (
        "Replace the benchmark data (projects 'bench-NN', their tasks and every municipality's "
        "copies, persons @bench.example.dk) with a fresh set drawn from --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--projects", type=int, default=30)
        parser.add_argument("--tasks-per-project", type=int, default=80)
        parser.add_argument("--persons-per-municipality", type=int, default=5)
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help=(
                "Multiply the tasks per project (0.25, 1, 4, ...) for every municipality but "
                f"{bench.STEADY_MUNICIPALITY}, whose own rows stay at the default's."
            ),
        )

    def handle(self, *args, **options):
        if facts.catalogue_is_empty() or not Municipality.objects.exists():
            call_command("load_facts", stdout=self.stdout)
        sizes = {
            "projects": options["projects"],
            "tasks_per_project": options["tasks_per_project"],
            "persons_per_municipality": options["persons_per_municipality"],
        }
        if options["scale"] is None:
            size = bench.BenchSize(**sizes)
        else:
            size = bench.BenchSize.scaled(options["scale"], **sizes)
        started = time.monotonic()
        counts = bench.bench_load(seed=options["seed"], size=size)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(f"Benchmark data (seed {options['seed']}): {summary} in {seconds:.1f} s.")
