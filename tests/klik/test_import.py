"""The programme leader's round trip: export, edit in Excel, import back."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from klik.imports import klik_import
from klik.imports.round_trip import (
    CANDIDATES,
    NOT_YOUR_TASK,
    PERSON_AMBIGUOUS,
    PERSON_UNKNOWN,
    STALE_ROW,
)
from klik.models import MunicipalityTask, MunicipalityTaskChange, State
from klik.services import municipality_task_update
from tests.factories import PersonFactory
from tests.klik.import_helpers import edit, export, outcomes, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(make_task, naestved):
    """Three Næstved tasks, all staffed and in progress."""
    return [make_task() for _ in range(3)]


@pytest.fixture
def anna(naestved):
    return PersonFactory(municipality=naestved, name="Anna Andersen", email="anna@naestved.dk")


def snapshot():
    """Every municipality task's editable fields and version, and the history's size."""
    rows = MunicipalityTask.objects.order_by("pk").values_list(
        "pk", "state", "responsible_id", "executor_id", "version"
    )
    return list(rows), MunicipalityTaskChange.objects.count()


def test_the_unchanged_export_imports_as_unchanged_and_writes_nothing(leader_client, leader, tasks):
    data = export(leader_client)
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert outcomes(report) == ["unchanged"] * 3
    assert report.totals == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert snapshot() == before


def test_edited_responsible_executor_and_state_change_exactly_those_tasks_with_history(
    leader_client, leader, tasks, anna
):
    first, second, third = tasks
    data = edit(
        export(leader_client),
        {
            first.pk: {"Ansvarlig": "Anna Andersen"},
            second.pk: {"Udfører": "anna@naestved.dk", "Tilstand": "Løst"},
        },
    )
    report = run(data, user=leader, municipality=leader.municipality)
    assert sorted(outcomes(report)) == ["unchanged", "updated", "updated"]
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.responsible == anna
    assert (second.executor, second.state) == (anna, State.DONE)
    assert third.version == 0
    changes = MunicipalityTaskChange.objects.order_by("municipality_task_id", "field")
    assert [(c.municipality_task_id, c.field, c.new_value, c.changed_by) for c in changes] == [
        (first.pk, "responsible", "Anna Andersen", leader),
        (second.pk, "executor", "Anna Andersen", leader),
        (second.pk, "state", "Løst", leader),
    ]


def test_the_second_import_of_the_same_file_changes_nothing(leader_client, leader, tasks, anna):
    data = edit(export(leader_client), {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}})
    run(data, user=leader, municipality=leader.municipality)
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert outcomes(report) == ["unchanged"] * 3
    assert snapshot() == before


def test_a_row_changed_in_the_app_after_the_export_is_refused_as_stale_and_nothing_is_written(
    leader_client, leader, tasks, anna, danish
):
    first, second, _ = tasks
    data = edit(
        export(leader_client),
        {first.pk: {"Tilstand": "Løst"}, second.pk: {"Ansvarlig": "Anna Andersen"}},
    )
    municipality_task_update(
        municipality_task=first, user=leader, data={"state": State.BLOCKED}, version=0
    )
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert snapshot() == before
    refused = report.refused_rows
    assert len(refused) == 1
    assert refused[0].column == "Link"
    reason = refused[0].reason
    assert str(STALE_ROW).split("(")[0].strip() in reason
    assert "naestved" in reason and "Tilstand" in reason and "Kan ikke nås til tiden" in reason


def test_the_dry_run_writes_nothing(leader_client, leader, tasks, anna):
    data = edit(export(leader_client), {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}})
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality, dry_run=True)
    assert sorted(outcomes(report)) == ["unchanged", "unchanged", "updated"]
    assert snapshot() == before


def test_one_bad_row_writes_nothing_and_names_its_row_and_column(
    leader_client, leader, tasks, anna, danish
):
    data = edit(
        export(leader_client),
        {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}, tasks[1].pk: {"Udfører": "Anna Andersn"}},
    )
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert snapshot() == before
    (bad,) = report.refused_rows
    assert (bad.sheet, bad.row, bad.column) == ("KLIK-opgaver", 3, "Udfører")
    unknown = PERSON_UNKNOWN % {"value": "Anna Andersn", "municipality": "Næstved"}
    assert bad.reason == f"{unknown} {CANDIDATES % {'names': 'Anna Andersen'}}"


def test_skip_refused_writes_the_good_rows_only(leader_client, leader, tasks, anna):
    data = edit(
        export(leader_client),
        {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}, tasks[1].pk: {"Tilstand": "Færdig?"}},
    )
    report = run(data, user=leader, municipality=leader.municipality, skip_refused=True)
    assert report.applied and report.totals["refused"] == 1
    tasks[0].refresh_from_db(), tasks[1].refresh_from_db()
    assert tasks[0].responsible == anna
    assert tasks[1].version == 0


def test_an_ambiguous_name_is_refused_with_the_candidates(leader_client, leader, tasks, danish):
    for email in ("bo1@naestved.dk", "bo2@naestved.dk"):
        PersonFactory(municipality=leader.municipality, name="Bo Berg", email=email)
    data = edit(export(leader_client), {tasks[0].pk: {"Ansvarlig": "Bo Berg"}})
    (bad,) = run(data, user=leader, municipality=leader.municipality).refused_rows
    assert bad.reason.startswith(PERSON_AMBIGUOUS % {"value": "Bo Berg", "municipality": "Næstved"})
    assert "bo1@naestved.dk" in bad.reason and "bo2@naestved.dk" in bad.reason


def test_a_person_of_another_municipality_is_refused(leader_client, leader, tasks, hoersholm):
    PersonFactory(municipality=hoersholm, name="Hanne Hørsholm", email="hanne@hoersholm.dk")
    data = edit(
        export(leader_client),
        {
            tasks[0].pk: {"Ansvarlig": "Hanne Hørsholm"},
            tasks[1].pk: {"Udfører": "hanne@hoersholm.dk"},
        },
    )
    before = snapshot()
    report = run(data, user=leader, municipality=leader.municipality)
    assert [r.column for r in report.refused_rows] == ["Ansvarlig", "Udfører"]
    assert snapshot() == before


def test_a_row_of_another_municipalitys_task_is_refused(
    hoersholm, leader, tasks, kombit_client, danish
):
    data = export(kombit_client)  # every municipality's rows
    report = run(data, user=leader, municipality=leader.municipality)
    theirs = MunicipalityTask.objects.filter(municipality=hoersholm).count()
    assert len(report.refused_rows) == theirs > 0
    assert report.refused_rows[0].reason == NOT_YOUR_TASK % {"municipality": "Næstved"}


def test_a_leader_cannot_import_another_municipality_or_the_catalogue(leader, hoersholm, tasks):
    with pytest.raises(PermissionDenied):
        klik_import(io.BytesIO(b""), user=leader, municipality=hoersholm)
    with pytest.raises(PermissionDenied):
        klik_import(io.BytesIO(b""), user=leader)


def test_the_command_prints_the_report_and_exits_non_zero_on_a_refused_row(
    leader_client, leader, tasks, anna, tmp_path, capsys
):
    path = tmp_path / "eksport.xlsx"
    path.write_bytes(edit(export(leader_client), {tasks[0].pk: {"Ansvarlig": "Ukendt Person"}}))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_klik", str(path), "--municipality", "370", "--user", "naestved")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "KLIK-opgaver!Ansvarlig række 2: afvist" in out
    assert "Afvist 1" in out


def test_the_command_applies_a_good_file(leader_client, leader, tasks, anna, tmp_path, capsys):
    path = tmp_path / "eksport.xlsx"
    path.write_bytes(edit(export(leader_client), {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}}))
    call_command("import_klik", str(path), "--municipality", "370", "--user", "naestved")
    tasks[0].refresh_from_db()
    assert tasks[0].responsible == anna
    assert "Opdateret 1" in capsys.readouterr().out


def test_a_task_saved_between_the_plan_and_the_write_undoes_the_whole_import(
    leader_client, leader, tasks, anna, monkeypatch
):
    """The rows are written in bulk, but each still checks the version the plan read."""
    from klik.imports import round_trip

    data = edit(
        export(leader_client),
        {tasks[0].pk: {"Ansvarlig": "Anna Andersen"}, tasks[1].pk: {"Tilstand": "Løst"}},
    )
    before = snapshot()
    plan = round_trip.RoundTrip.plan

    def plan_then_someone_saves(self, progress=None):
        planned = plan(self, progress)
        municipality_task_update(
            municipality_task=tasks[1], user=leader, data={"state": State.BLOCKED}, version=0
        )
        return planned

    monkeypatch.setattr(round_trip.RoundTrip, "plan", plan_then_someone_saves)
    report = run(data, user=leader, municipality=leader.municipality)
    assert not report.applied
    assert report.error == ("En anden gemte en opgave, mens indlæsningen kørte; indlæs filen igen.")
    assert snapshot() == before  # the other row, and the save in between, rolled back too


def test_the_bulk_write_records_the_same_history_as_an_edit(leader_client, leader, tasks, anna):
    data = edit(
        export(leader_client),
        {mt.pk: {"Ansvarlig": "Anna Andersen", "Tilstand": "Løst"} for mt in tasks},
    )
    report = run(data, user=leader, municipality=leader.municipality)
    assert report.totals["updated"] == 3
    for mt in tasks:
        mt.refresh_from_db()
        assert (mt.responsible, mt.state, mt.version, mt.updated_by) == (
            anna,
            State.DONE,
            1,
            leader,
        )
        changes = mt.changes.order_by("field")
        assert [(c.field, c.new_value, c.version, c.changed_by) for c in changes] == [
            ("responsible", "Anna Andersen", 1, leader),
            ("state", "Løst", 1, leader),
        ]
