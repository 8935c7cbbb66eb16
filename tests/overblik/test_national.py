"""KOMBIT's national view on the dashboard (issue 13): every municipality, sorted by any column,
filtered by region, and municipalities compared side by side."""

import csv
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from klik.models import Colour, State
from portfolio.models import Municipality
from tests.factories import ProjectFactory
from tests.overblik.test_dashboard import make
from tests.overblik.test_support_system import page

pytestmark = pytest.mark.django_db

KOMMUNER = Path(settings.BASE_DIR) / "fixtures" / "kommuner.csv"


def rows(doc):
    return [tr.get("data-municipality") for tr in doc.xpath("//tr[@data-municipality]")]


@pytest.fixture
def all_98(db):
    """The 98 real municipalities with their regions."""
    with KOMMUNER.open(encoding="utf-8") as f:
        for line in csv.DictReader(f):
            Municipality.objects.update_or_create(
                code=line["code"], defaults={"name": line["name"], "region": line["region"]}
            )
    assert Municipality.objects.count() == 98
    return {m.code: m for m in Municipality.objects.all()}


@pytest.fixture
def ranked(all_98):
    """BBR: Næstved 1 red, Aarhus 3 yellow; DAR: Odense 2 red, Næstved 1 yellow. Every other
    municipality's copy is solved, so only these count."""
    bbr = ProjectFactory(slug="bbr", short_name="BBR")
    dar = ProjectFactory(slug="dar", short_name="DAR")
    for code, project, colour, n in [
        ("370", bbr, Colour.RED, 1),
        ("751", bbr, Colour.YELLOW, 3),
        ("461", dar, Colour.RED, 2),
        ("370", dar, Colour.YELLOW, 1),
    ]:
        for _ in range(n):
            mt = make(all_98[code], colour, project=project, updated_days_ago=30)
            mt.task.municipality_tasks.exclude(pk=mt.pk).update(state=State.DONE)
    return all_98


def test_the_national_table_lists_all_98_municipalities(ranked, kombit_client):
    listed = rows(page(kombit_client, "/"))

    assert len(listed) == 98 == len(set(listed))
    assert listed[:3] == ["461", "370", "751"]  # 2 red, 1 red + 1 yellow, 3 yellow


def test_the_table_sorts_by_one_projects_red_count(ranked, kombit_client):
    by_bbr = rows(page(kombit_client, "/?sort=bbr"))
    by_dar = rows(page(kombit_client, "/?sort=dar"))
    by_yellow = rows(page(kombit_client, "/?sort=yellow"))

    assert by_bbr[:2] == ["370", "751"]  # BBR: 1 red beats 3 yellow
    assert by_dar[:2] == ["461", "370"]
    assert by_yellow[0] == "751"


def test_the_column_headers_link_to_their_sort_and_mark_the_current_one(ranked, kombit_client):
    doc = page(kombit_client, "/?sort=dar&region=Sjælland")

    sort_links = doc.xpath("//a[contains(@class, 'matrix-sort')]")
    links = {a.text_content(): a.get("href") for a in sort_links}
    assert parse_qs(urlsplit(links["BBR"]).query) == {"region": ["Sjælland"], "sort": ["bbr"]}
    [current] = doc.xpath("//th[@aria-sort]")
    assert current.text_content() == "DAR"


def test_the_table_filters_by_region(ranked, kombit_client):
    listed = rows(page(kombit_client, "/?region=Sjælland"))

    sjaelland = {m.code for m in Municipality.objects.filter(region="Sjælland")}
    assert set(listed) == sjaelland and "370" in listed and "461" not in listed
    assert len(listed) == 17


def test_an_unknown_region_or_sort_is_a_message_and_no_rows(ranked, kombit_client):
    for query in ("region=Atlantis", "sort=nope"):
        doc = page(kombit_client, f"/?{query}")
        assert not rows(doc)
        assert doc.xpath("//*[contains(@class, 'form-error-message')]")


def test_comparing_two_municipalities_shows_exactly_their_rows(ranked, kombit_client):
    doc = page(kombit_client, "/?municipality=370&municipality=461")

    assert sorted(rows(doc)) == ["370", "461"]
    columns = doc.xpath("//th[@data-compare-municipality]")
    heads = [th.get("data-compare-municipality") for th in columns]
    assert heads == ["370", "461"]
    red = doc.xpath("//tr[@data-compare-colour='red']/td")
    assert [td.text_content().strip() for td in red] == ["1", "2"]
    # The page's own colour counts are the two municipalities' together.
    counts = {
        a.get("data-colour"): a.xpath(".//span[@class='klik-count-number']")[0].text
        for a in doc.xpath("//a[@data-colour]")
    }
    assert counts["red"] == "3" and counts["yellow"] == "1"
    # Each has its own list of stalled tasks (all were last changed 30 days ago).
    assert len(doc.xpath("//*[@data-compare-escalate='370']//li")) == 2
    assert len(doc.xpath("//*[@data-compare-escalate='461']//li")) == 2


def test_the_compare_counts_link_to_that_municipalitys_list(ranked, kombit_client):
    doc = page(kombit_client, "/?municipality=370&municipality=461")

    [link] = doc.xpath("//tr[@data-compare-colour='red']/td[2]/a")
    assert parse_qs(urlsplit(link.get("href")).query) == {
        "municipality": ["461"],
        "status": ["red"],
    }


def test_each_row_offers_a_compare_checkbox_and_the_chosen_stay_ticked(ranked, kombit_client):
    doc = page(kombit_client, "/?municipality=370&municipality=461")

    boxes = doc.xpath("//input[@form='compare-form'][@name='municipality']")
    assert {b.get("value") for b in boxes} == {"370", "461"}
    assert all(b.get("checked") is not None for b in boxes)


def test_more_than_six_to_compare_is_a_message(ranked, kombit_client):
    codes = ["101", "147", "151", "153", "155", "157", "159"]
    doc = page(kombit_client, "/?" + "&".join(f"municipality={c}" for c in codes))

    assert "højst 6 kommuner" in doc.text_content()
    assert not doc.xpath("//*[@data-compare]")


def test_an_unknown_municipality_to_compare_is_a_message(ranked, kombit_client):
    doc = page(kombit_client, "/?municipality=370&municipality=999")

    assert "999" in doc.xpath("//*[@id='national-municipality-error']")[0].text_content()
    assert not doc.xpath("//*[@data-compare]")


@pytest.mark.parametrize(
    "query", ["municipality=223", "municipality=370&municipality=223", "municipality=999"]
)
def test_a_programme_leader_naming_another_municipality_gets_404(
    leader_client, naestved, hoersholm, query
):
    assert leader_client.get(f"/?{query}").status_code == 404


def test_a_programme_leader_naming_their_own_municipality_sees_their_page(leader_client, naestved):
    response = leader_client.get("/?municipality=370")
    assert response.status_code == 200
    assert not rows(page(leader_client, "/?municipality=370"))


def test_comparing_runs_a_fixed_number_of_queries(ranked, kombit_client, django_assert_num_queries):
    # The national page's 12 (with the trend), the chosen codes checked, the side-by-side
    # escalation lists (one query for all of them), the municipalities and projects for the table.
    with django_assert_num_queries(15):
        kombit_client.get("/?municipality=370&municipality=461")
    with django_assert_num_queries(15):
        kombit_client.get("/?municipality=370&municipality=461&municipality=751")


def test_the_compared_counts_link_to_the_compared_municipalities_in_the_order_asked(
    ranked, kombit_client
):
    doc = page(kombit_client, "/?municipality=461&municipality=370")

    heads = [
        th.get("data-compare-municipality") for th in doc.xpath("//th[@data-compare-municipality]")
    ]
    assert heads == ["461", "370"]
    assert "Odense, Næstved" in doc.xpath("//h1")[0].text_content()
    [red] = doc.xpath("//a[@data-colour='red']")
    assert parse_qs(urlsplit(red.get("href")).query) == {
        "status": ["red"],
        "municipality": ["461", "370"],
    }


def test_ticking_keeps_the_sort_and_region(ranked, kombit_client):
    doc = page(kombit_client, "/?sort=dar&region=Sjælland")

    form = doc.xpath("//form[@id='compare-form']")[0]
    kept = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    assert kept == {"sort": "dar", "region": "Sjælland"}
