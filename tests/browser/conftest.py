"""What every browser test shares: a page logged in through the real log-in form."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def logged_in_page(page, live_server):
    """Log `username` in through the form and return the page, arrived at `next_url`.

    Call it again after logging out to switch users. The factories' password is "pw".
    """

    def log_in(username, password="pw", next_url="/"):
        page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        expect(page).to_have_url(live_server.url + next_url)
        return page

    return log_in
