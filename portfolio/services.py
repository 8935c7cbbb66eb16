"""Writes for the portfolio: loading the municipalities from their CSV."""

import csv
from pathlib import Path

from django.db import transaction

from .models import Municipality


@transaction.atomic
def municipalities_load(*, path: Path) -> int:
    """Create or update municipalities from a code,name,region CSV; returns the row count."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        municipality = Municipality.objects.filter(code=row["code"]).first() or Municipality(
            code=row["code"]
        )
        municipality.name = row["name"]
        municipality.region = row.get("region", "")
        municipality.full_clean()
        municipality.save()
    return len(rows)
