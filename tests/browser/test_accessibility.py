"""axe-core over every page of the access matrix as each role (anonymous, the admin, KOMBIT staff,
Næstved's programme leader and Hørsholm's, and Næstved's KLIK-administrator, project leader and
reader): no serious or critical violation (the status chips'
contrast included), and no Content-Security-Policy refusal, so nothing on our pages depends on
inline script or style."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.access.matrix import ROLES, ROWS, all_patterns, expected, objects_make, url_for

# The fewest pages of ours each role may open; a smaller count means the sweep lost its way.
AT_LEAST = {
    "anonymous": 1,
    "admin": 15,
    "kombit": 15,
    "leader": 15,
    "other": 10,
    "klikadmin": 18,
    "projectleader": 10,
    "reader": 10,
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_serious_accessibility_violation_for_each_role(
    live_server, page, naestved, hoersholm, role
):
    # live_server before page: run first, this test sets up the session's server and browser,
    # and this order tears the browser down first. The other way round the server stops
    # before Chromium closes its keep-alive sockets, and the server's request threads fail
    # on the in-memory SQLite connection it no longer shares.
    objects = objects_make(naestved, hoersholm)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    if role != "anonymous":
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", objects.users[role].username)
        page.fill("input[name=password]", "pw")
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/")
    axe = Axe()
    found, visited = [], 0
    for pattern in all_patterns():
        if not ROWS[pattern.key].page or expected(pattern, role, "GET") != 200:
            continue
        url = url_for(pattern, objects)
        page.goto(live_server.url + url)
        visited += 1
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{url}: {violation['id']} ({len(violation['nodes'])})")
    assert visited >= AT_LEAST[role]  # every page of ours the role may open
    assert found == []
    assert refused == []
