"""The traffic-light colours are defined once: the stylesheet and the export agree."""

import re
from pathlib import Path

from django.conf import settings

from klik.models import COLOUR_SHADES, Colour

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
CUSTOM_PROPERTY = re.compile(r"--klik-(\w+)-(fill|ink|edge):\s*#([0-9a-fA-F]{6})\s*;")


def _root_block(css):
    return re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)


def _luminance(hex_rgb):
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(hex_rgb[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_stylesheet_custom_properties_are_the_python_colour_shades():
    declared = {
        (colour, shade): value.upper()
        for colour, shade, value in CUSTOM_PROPERTY.findall(
            _root_block((CSS_DIR / "app.css").read_text())
        )
    }
    expected = {
        (colour.value, shade): value
        for colour, shades in COLOUR_SHADES.items()
        for shade, value in shades._asdict().items()
    }
    assert declared == expected
    assert set(COLOUR_SHADES) == set(Colour)


def test_no_stylesheet_repeats_a_status_colour_as_a_literal():
    literals = {v.lower() for shades in COLOUR_SHADES.values() for v in shades}
    for path in sorted(CSS_DIR.glob("*.css")):
        css = path.read_text()
        if path.name == "app.css":
            css = css.replace(_root_block(css), "")
        found = {h.lower() for h in re.findall(r"#([0-9a-fA-F]{6})\b", css)} & literals
        assert not found, f"{path.name} repeats {sorted(found)}; use var(--klik-…)"


def test_chips_charts_and_counts_use_the_custom_properties():
    css = "".join(p.read_text() for p in CSS_DIR.glob("*.css"))
    for colour in Colour.values:
        assert f".klik-{colour} {{ background: var(--klik-{colour}-fill);" in css
        assert f".bar-{colour} {{ fill: var(--klik-{colour}-edge); }}" in css


def test_text_on_each_fill_keeps_four_and_a_half_to_one_contrast():
    for colour, shades in COLOUR_SHADES.items():
        light, dark = sorted((_luminance(shades.fill), _luminance(shades.ink)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, colour
