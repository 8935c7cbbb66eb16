"""The import's per-row report: created, updated, unchanged or refused, with totals."""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REFUSED)
OUTCOME_LABELS = {
    CREATED: _("created"),
    UPDATED: _("updated"),
    UNCHANGED: _("unchanged"),
    REFUSED: _("refused"),
}
MUNICIPALITY, CATALOGUE = "municipality", "catalogue"


class ImportRefused(Exception):
    """The whole file is refused; the message says why, in the user's words."""


@dataclass
class RowResult:
    """What the import does, or did, with one row of the sheet."""

    sheet: str
    row: int
    outcome: str
    column: str = ""
    reason: str = ""
    label: str = ""

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]


@dataclass
class Planned:
    """A row's result and, for created or updated rows, what to write."""

    result: RowResult
    action: object = None


@dataclass
class ImportReport:
    """The per-row report with totals; `error` refuses the whole file."""

    job: str
    rows: list[RowResult] = field(default_factory=list)
    error: str = ""
    applied: bool = False
    dry_run: bool = True

    @property
    def totals(self):
        """{outcome: number of rows} for every outcome, zeros included."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def refused(self):
        return bool(self.error) or any(r.outcome == REFUSED for r in self.rows)

    @property
    def refused_rows(self):
        return [r for r in self.rows if r.outcome == REFUSED]

    def by_outcome(self, outcome):
        return [r for r in self.rows if r.outcome == outcome]

    @property
    def changed_rows(self):
        """Rows that are, or would be, created or updated."""
        return [r for r in self.rows if r.outcome in (CREATED, UPDATED)]

    def to_json(self):
        """The report as JSON-ready data, to show it again without reading the file."""
        return {
            "job": self.job,
            "error": self.error,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "rows": [asdict(r) for r in self.rows],
        }

    @classmethod
    def from_json(cls, data):
        rows = [RowResult(**r) for r in data.get("rows", [])]
        return cls(
            job=data.get("job", MUNICIPALITY),
            rows=rows,
            error=data.get("error", ""),
            applied=data.get("applied", False),
            dry_run=data.get("dry_run", True),
        )

    def digest(self):
        """A fingerprint of what the report promises, so a confirmation applies exactly that."""
        shown = [self.job, self.error, [(r.row, r.outcome, r.column, r.reason) for r in self.rows]]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def result(table, row, outcome, column="", reason="", label=""):
    """A RowResult for row `row` of `table`'s sheet."""
    return RowResult(table.sheet, row, outcome, column, str(reason), label)
