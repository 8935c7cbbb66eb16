"""KOMBIT's catalogue import of KLIK-style sheets."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command

from klik.imports.catalogue import DEADLINE_BEFORE_START, UNKNOWN_PROJECT
from klik.imports.cells import AMBIGUOUS_DATE, NO_SUCH_DATE
from klik.models import MunicipalityTask, Task
from portfolio.models import Municipality
from tests.factories import (
    InterfaceFactory,
    ProjectFactory,
    SupportSystemFactory,
)
from tests.klik.import_helpers import outcomes, run, sheet

pytestmark = pytest.mark.django_db

HEADER = ["klik reference", "Slut-dato", "OPGAVETITEL", "Støtte system", "projekt", "Snitflade"]


@pytest.fixture
def catalogue(naestved, hoersholm):
    system = SupportSystemFactory(name="STS Adgangsstyring", slug="sts-adgangsstyring")
    InterfaceFactory(code="SF1511", support_system=system)
    InterfaceFactory(code="SF1514", support_system=system)
    return ProjectFactory(short_name="BBR", slug="bbr")


def klik_sheet(*rows, header=HEADER):
    """A KLIK-style sheet: two title rows, an empty row, then the header and `rows`."""
    return sheet([["KLIK-opgaver fra KOMBIT"], ["Udtræk december"], [], header, *rows])


GOOD = [
    ["K-1", datetime.date(2027, 3, 1), "Ryd op i brugerne", "sts-adgangsstyring", "bbr", "SF1511"],
    ["", "31-05-2027", "Tildel roller", "STS Adgangsstyring", "BBR", "SF1511, sf1514"],
]


def test_a_klik_style_sheet_with_title_rows_and_renamed_shuffled_columns_imports(catalogue, kombit):
    report = run(klik_sheet(*GOOD), user=kombit)
    assert outcomes(report) == ["created", "created"]
    assert [r.row for r in report.rows] == [5, 6]
    first, second = Task.objects.order_by("pk")
    assert (first.klik_reference, first.deadline, first.project) == (
        "K-1",
        datetime.date(2027, 3, 1),
        catalogue,
    )
    assert first.support_system.slug == "sts-adgangsstyring"
    assert sorted(i.code for i in second.interfaces.all()) == ["SF1511", "SF1514"]
    assert second.deadline == datetime.date(2027, 5, 31)
    # Published: every municipality has its copy of each new task.
    assert MunicipalityTask.objects.count() == 2 * Municipality.objects.count() == 4


def test_the_second_run_of_a_catalogue_file_is_a_no_op(catalogue, kombit):
    data = klik_sheet(*GOOD)
    run(data, user=kombit)
    tasks = list(Task.objects.values())
    report = run(data, user=kombit)
    assert outcomes(report) == ["unchanged", "unchanged"]
    assert list(Task.objects.values()) == tasks
    assert MunicipalityTask.objects.count() == 4


def test_existing_tasks_are_updated_by_klik_reference_else_by_project_and_title(catalogue, kombit):
    run(klik_sheet(*GOOD), user=kombit)
    renamed = ["K-1", datetime.date(2027, 4, 1), "Ryd op i BBR-brugerne", "", "bbr", ""]
    moved = ["", "30-06-2027", "Tildel roller", "STS Adgangsstyring", "BBR", "SF1511"]
    report = run(klik_sheet(renamed, moved), user=kombit)
    assert outcomes(report) == ["updated", "updated"]
    first, second = Task.objects.order_by("pk")
    assert (first.title, first.deadline, first.support_system) == (
        "Ryd op i BBR-brugerne",
        datetime.date(2027, 4, 1),
        None,
    )
    assert [i.code for i in second.interfaces.all()] == ["SF1511"]
    assert second.deadline == datetime.date(2027, 6, 30)
    assert MunicipalityTask.objects.count() == 4


def test_one_bad_row_writes_nothing_and_names_the_row_and_column(catalogue, kombit, danish):
    bad = ["K-3", "01-06-2027", "Ukendt", "", "XYZ", ""]
    report = run(klik_sheet(*GOOD, bad), user=kombit)
    assert Task.objects.count() == 0
    (refused,) = report.refused_rows
    assert (refused.row, refused.column) == (7, "projekt")
    assert refused.reason == UNKNOWN_PROJECT % {"value": "XYZ"}


def test_skip_refused_writes_the_good_rows_only(catalogue, kombit):
    bad = ["K-3", "01-06-2027", "Ukendt", "", "XYZ", ""]
    report = run(klik_sheet(*GOOD, bad), user=kombit, skip_refused=True)
    assert report.applied
    assert sorted(Task.objects.values_list("title", flat=True)) == [
        "Ryd op i brugerne",
        "Tildel roller",
    ]


def test_the_catalogue_dry_run_writes_nothing(catalogue, kombit):
    report = run(klik_sheet(*GOOD), user=kombit, dry_run=True)
    assert report.totals["created"] == 2
    assert Task.objects.count() == MunicipalityTask.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (["K-9", "31-02-2027", "T", "", "bbr", ""], "Slut-dato", NO_SUCH_DATE),
        (["K-9", "03/04/2027", "T", "", "bbr", ""], "Slut-dato", AMBIGUOUS_DATE),
        (["K-9", "03-04-27", "T", "", "bbr", ""], "Slut-dato", AMBIGUOUS_DATE),
        (["K-9", "", "T", "STS Ukendt", "bbr", ""], "Støtte system", None),
        (["K-9", "", "T", "", "bbr", "SF1511 SF9999"], "Snitflade", None),
        (["K-9", "", "", "", "bbr", ""], "OPGAVETITEL", None),
        (["K-9", "", "=1+1", "", "bbr", ""], "OPGAVETITEL", None),
    ],
)
def test_bad_cells_are_refused_with_their_column(catalogue, kombit, danish, row, column, expected):
    report = run(klik_sheet(row), user=kombit)
    (refused,) = report.refused_rows
    assert refused.column == column
    if expected is not None:
        assert refused.reason == expected % {"value": row[1]}
    assert Task.objects.count() == 0


def test_a_deadline_before_its_start_is_refused(catalogue, kombit, danish):
    header = [*HEADER, "Startdato"]
    row = ["K-9", "01-03-2027", "T", "", "bbr", "", "01-04-2027"]
    (refused,) = run(klik_sheet(row, header=header), user=kombit).refused_rows
    assert refused.column == "Slut-dato"
    assert refused.reason == DEADLINE_BEFORE_START % {
        "deadline": "01.03.2027",
        "start": "01.04.2027",
    }


def test_a_leader_cannot_import_the_catalogue(leader, catalogue):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(klik_sheet(*GOOD), user=leader)
    assert Task.objects.count() == 0


def test_the_example_sheet_in_fixtures_imports_cleanly(db, tmp_path, capsys):
    call_command("load_facts", verbosity=0)
    example = settings.BASE_DIR / "fixtures" / "klik-eksempel.xlsx"
    call_command("import_klik", str(example))
    out = capsys.readouterr().out
    assert "Oprettet 5" in out and "Afvist 0" in out
    assert MunicipalityTask.objects.filter(task__klik_reference="KLIK-2027-001").count() == 98


def test_the_command_prints_progress_on_a_large_file(catalogue, tmp_path, capsys):
    rows = [[f"K-{n}", "31-05-2027", f"Opgave {n}", "", "bbr", ""] for n in range(5000)]
    path = tmp_path / "stor.xlsx"
    path.write_bytes(klik_sheet(*rows))
    call_command("import_klik", str(path), "--dry-run")
    captured = capsys.readouterr()
    assert "5000 rækker læst" in captured.err
    assert "Oprettet 5000" in captured.out and "prøvekørsel: intet skrevet" in captured.out
    assert Task.objects.count() == 0
