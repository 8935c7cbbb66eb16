"""KOMBIT's national view on the dashboard: every municipality × project with its red and yellow
counts, sortable and filterable by region, and municipalities compared side by side."""

from django import forms
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from klik.models import Colour
from portfolio.filtering import MunicipalityCodesField
from portfolio.models import Municipality, Project
from portfolio.widgets import DkfdsFilterForm

# Programme tasks have no project, and /klik/ has no filter for that: their own column.
PROGRAMME_COLUMN = "-"
# How many municipalities are shown side by side; the table itself can narrow to any number.
COMPARE_MAX = 6
COMPARE_ESCALATION_ROWS = 5
SORT_NAME, SORT_RED, SORT_YELLOW = "name", "red", "yellow"
TOO_MANY = _("Choose at most %(max)d municipalities to compare.")


class NationalForm(DkfdsFilterForm):
    """The dashboard's query string for KOMBIT staff: `municipality` (repeatable code) narrows
    the page to those municipalities and compares them, `region` narrows the table, `sort`
    orders it (`name`, `red`, `yellow` or a project's slug; counts worst first)."""

    municipality = MunicipalityCodesField(
        label=_("Compare municipalities"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        required=False,
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False)

    def __init__(self, *args, regions=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [(r, r) for r in regions]
        self.fields["sort"].choices = [
            ("", _("Most red first")),
            (SORT_NAME, _("Municipality")),
            (SORT_RED, _("Red")),
            (SORT_YELLOW, _("Yellow")),
            (PROGRAMME_COLUMN, _("Programme")),
            *((p.slug, p.short_name) for p in projects),
        ]

    def clean_municipality(self):
        chosen = self.cleaned_data["municipality"]
        if len(chosen) > COMPARE_MAX:
            raise forms.ValidationError(TOO_MANY, params={"max": COMPARE_MAX})
        return chosen

    def value(self, name):
        """The field's valid value, or its empty value while it is bad."""
        if not self.is_bound or not self.is_valid() and name in self.errors:
            return self.fields[name].to_python(None) if name != "municipality" else []
        return self.cleaned_data.get(name) or ([] if name == "municipality" else "")


def national_table(tallies, municipalities, projects, *, sort="", region=""):
    """Every municipality of `municipalities` (in `region`, when given) with its red and yellow
    counts in all and per project, from `colour_tallies` rows. Sorted by `sort`: the name, or a
    count (red, yellow, or a project's red then yellow) worst first, ties by name. Returns the
    columns [(slug, name)], the rows and the regions."""
    projects_by_pk = {p.pk: p for p in projects}
    cells, used = {}, {}
    for tally in tallies:
        project = projects_by_pk.get(tally["task__project_id"])
        slug = project.slug if project else PROGRAMME_COLUMN
        used[slug] = project.short_name if project else str(_("Programme"))
        red, yellow = tally[Colour.RED], tally[Colour.YELLOW]
        cell = cells.setdefault(tally["municipality_id"], {}).setdefault(slug, [0, 0])
        cell[0] += red
        cell[1] += yellow
    columns = sorted(used.items(), key=lambda item: (item[0] == PROGRAMME_COLUMN, item[1]))
    rows = []
    for municipality in municipalities:
        if region and municipality.region != region:
            continue
        own = cells.get(municipality.pk, {})
        rows.append(
            {
                "code": municipality.code,
                "name": municipality.name,
                "region": municipality.region,
                "red": sum(r for r, _y in own.values()),
                "yellow": sum(y for _r, y in own.values()),
                "cells": [(slug, *own.get(slug, (0, 0))) for slug, _name in columns],
                "by_slug": own,
            }
        )
    rows.sort(key=sort_key(sort))
    return {"columns": columns, "rows": rows, "count": len(rows), "sort": sort or SORT_RED}


def sort_key(sort):
    if sort == SORT_NAME:
        return lambda row: row["name"]
    if sort == SORT_YELLOW:
        return lambda row: (-row["yellow"], -row["red"], row["name"])
    if sort in ("", SORT_RED):
        return lambda row: (-row["red"], -row["yellow"], row["name"])

    def by_project(row):
        red, yellow = row["by_slug"].get(sort, (0, 0))
        return (-red, -yellow, -row["red"], row["name"])

    return by_project


def compared(tallies, chosen, projects, escalations):
    """Side by side for the `chosen` municipalities (in the order given): a row per colour, a
    row per project with red and yellow, and each one's oldest tasks to escalate."""
    projects_by_pk = {p.pk: p for p in projects}
    index = {m.pk: i for i, m in enumerate(chosen)}
    colours = {c: [0] * len(chosen) for c in Colour.values}
    per_project = {}
    for tally in tallies:
        i = index.get(tally["municipality_id"])
        if i is None:
            continue
        for colour in Colour.values:
            colours[colour][i] += tally[colour]
        project = projects_by_pk.get(tally["task__project_id"])
        key = (project.short_name, project.slug) if project else (_("Programme"), PROGRAMME_COLUMN)
        counts = per_project.setdefault(key, [[0, 0] for _m in chosen])
        counts[i][0] += tally[Colour.RED]
        counts[i][1] += tally[Colour.YELLOW]
    return {
        "municipalities": chosen,
        "colours": [
            (Colour(c), list(zip([m.code for m in chosen], colours[c], strict=True)))
            for c in Colour.values
        ],
        "projects": [
            (
                str(name),
                slug,
                [(m.code, red, yellow) for m, (red, yellow) in zip(chosen, counts, strict=True)],
            )
            for (name, slug), counts in sorted(
                per_project.items(),
                key=lambda item: (item[0][1] == PROGRAMME_COLUMN, str(item[0][0])),
            )
        ],
        "escalate": [(m, escalations.get(m.pk, [])) for m in chosen],
    }


def escalations_by_municipality(tasks, chosen, stalled_since, rows=COMPARE_ESCALATION_ROWS):
    """{municipality id: its `rows` oldest tasks to escalate} for the chosen municipalities, in
    one query (a row number per municipality)."""
    if not chosen:
        return {}
    ranked = (
        tasks.filter(municipality__in=chosen)
        .to_escalate(stalled_since)
        .for_table()
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("municipality_id")],
                order_by=[F("updated_at").asc(), F("pk").asc()],
            )
        )
        .filter(position__lte=rows)
    )
    found = {}
    for mt in ranked:
        found.setdefault(mt.municipality_id, []).append(mt)
    return found


def municipalities_and_projects():
    """Every municipality (code, name, region) and project (slug, short name): two queries."""
    municipalities = list(Municipality.objects.only("code", "name", "region").order_by("name"))
    projects = list(Project.objects.only("slug", "short_name").order_by("short_name"))
    return municipalities, projects
