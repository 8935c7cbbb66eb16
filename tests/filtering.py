"""Reading a filter form the way a user sees it: the errors at a field and what it keeps."""

import lxml.html


def _doc(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def _group(doc, name):
    """The innermost form group (div or fieldset) holding the input named `name`."""
    groups = doc.xpath(
        "//form//*[self::fieldset or contains(concat(' ', normalize-space(@class), ' '), "
        f"' form-group ')][.//*[@name='{name}']]"
    )
    assert groups, f"no form group for {name}"
    return groups[-1]


def errors_at(response, name):
    """The error texts shown in the form group of the field named `name` (the visible text,
    without the screen-reader prefix "Fejl:")."""
    group = _group(_doc(response), name)
    for hidden in group.xpath(".//*[contains(@class, 'sr-only')]"):
        hidden.drop_tree()
    return [
        " ".join(span.text_content().split())
        for span in group.xpath(".//*[contains(@class, 'form-error-message')]")
    ]


def marked_fields(response):
    """Names of the fields whose form group is marked as in error, in page order."""
    doc = _doc(response)
    names = []
    for group in doc.xpath("//form//*[contains(concat(' ', @class, ' '), ' form-error ')]"):
        for element in group.xpath(".//*[@name]"):
            if element.get("name") not in names:
                names.append(element.get("name"))
    return names


def typed_value(response, name):
    """The value the (text or date) input named `name` shows."""
    return _group(_doc(response), name).xpath(f".//input[@name='{name}']")[0].get("value")


def says_nothing_is_listed(response):
    """True when the page's alert says nothing is listed until the fields are corrected."""
    text = " ".join(_doc(response).text_content().split())
    return "Nogle filtre kunne ikke bruges" in text and "Indtil da vises intet" in text
