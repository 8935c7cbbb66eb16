"""What the browser tests share besides fixtures: a logged-in page at a width, and how far a
page scrolls sideways."""


def open_page(browser, live_server, user, width, path, password="pw"):
    """A new page `width` px wide, logged in as `user` through the form, arrived at `path`.
    Downloads are accepted, for the exports."""
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("input[name=username]", user if isinstance(user, str) else user.username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{path}")
    return page


def sideways(page):
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
