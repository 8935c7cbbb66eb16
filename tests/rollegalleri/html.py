"""Reading pages the way a user sees them."""

import lxml.html


def page(response):
    """The response parsed as HTML (asserting it is a 200)."""
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element):
    """The element's visible text with whitespace collapsed; a line break counts as a space."""
    for br in element.iter("br"):
        br.tail = " " + (br.tail or "")
    return " ".join(element.text_content().split())
