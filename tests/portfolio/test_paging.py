"""One paging rule on every list: a bad ?page= moves into range, a bad ?per_page= falls back to
the default page size. Never a 404 or a 500 for a number in the URL."""

import pytest

from portfolio.paging import DEFAULT_PER_PAGE
from tests.factories import PersonFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

ROWS = DEFAULT_PER_PAGE + 10
LISTS = ["/klik/", "/roller/personer/"]


@pytest.fixture
def two_pages(naestved, path):
    """The list's rows in Næstved: a full page and ten rows more."""
    if path == "/klik/":
        TaskFactory.create_batch(ROWS, project=ProjectFactory())
    else:
        PersonFactory.create_batch(ROWS, municipality=naestved)


def shown(response):
    """(page number, the primary keys of the rows shown)."""
    assert response.status_code == 200
    table = response.context["table"]
    return table.page.number, [row.record.pk for row in table.paginated_rows]


BAD_PAGES = ["abc", "0", "-1", "1e9", ""]
PAST_THE_END = ["99999", "99999999999999999999999"]
BAD_PER_PAGE = ["-1", "0", "abc", "", "1.5"]


@pytest.mark.parametrize("path", LISTS)
def test_a_bad_page_moves_into_range(leader_client, two_pages, path):
    first, last = shown(leader_client.get(path)), shown(leader_client.get(path, {"page": 2}))
    assert first[0] == 1 and len(first[1]) == DEFAULT_PER_PAGE
    assert last[0] == 2 and len(last[1]) == ROWS - DEFAULT_PER_PAGE
    for page in BAD_PAGES:
        assert shown(leader_client.get(path, {"page": page}, follow=True)) == first, page
    for page in PAST_THE_END:
        assert shown(leader_client.get(path, {"page": page})) == last, page


@pytest.mark.parametrize("path", LISTS)
def test_a_bad_per_page_falls_back_to_the_default(leader_client, two_pages, path):
    default = shown(leader_client.get(path))
    for per_page in BAD_PER_PAGE:
        assert shown(leader_client.get(path, {"per_page": per_page}, follow=True)) == default
    assert len(shown(leader_client.get(path, {"per_page": 10}))[1]) == 10
    assert len(shown(leader_client.get(path, {"per_page": 10**12}))[1]) == ROWS
