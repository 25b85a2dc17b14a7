"""Reading a built map page the way a browser would find things in it."""

import json
import re
from html import unescape
from html.parser import HTMLParser

_POPUP = re.compile(r'\.bindPopup\(("(?:[^"\\]|\\.)*"), \{"maxHeight')
_SITE_DATA = "var siteData = "
_CATEGORY_LAYER = re.compile(r'^\s*("[a-z_]+"): (feature_group_sub_group_\w+),$', re.MULTILINE)
_OVERLAYS = re.compile(r"overlays\s*:\s*\{(?P<body>.*?)\},\s*\};", re.DOTALL)
_OVERLAY = re.compile(r'("(?:[^"\\]|\\.)*")\s*:\s*(\w+),')
_POLYLINE = re.compile(r"var (poly_line_\w+) = L\.polyline\(\s*(\[.*?\]),\s*\{", re.DOTALL)
_URL = re.compile(r"""https?://[^\s"'<>\\`)]+""")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.attributes: list[tuple[str, dict[str, str]]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.attributes.append((tag, values))
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])
        if tag == "link" and values.get("rel") == "stylesheet":
            self.assets.append(values["href"])
        if tag == "a":
            self._href, self._text = values.get("href", ""), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def asset_urls(html: str) -> list[str]:
    """Every ``<script src>`` and ``<link href>`` of the page."""
    return parse(html).assets


def popups(html: str) -> list[str]:
    """The HTML of every popup bound in the page's script: the sites' and the tours'."""
    bound = [json.loads(literal) for literal in _POPUP.findall(html)]
    return [str(site["popup"]) for site in site_data(html)] + bound


def site_data(html: str) -> list[dict[str, object]]:
    """The page's list of sites, from which the browser makes the markers."""
    start = html.index(_SITE_DATA) + len(_SITE_DATA)
    data, _ = json.JSONDecoder().raw_decode(html, start)
    assert isinstance(data, list)
    return data


def site_popups(html: str) -> dict[str, str]:
    """Each site's popup HTML by site key."""
    found = {}
    for popup in popups(html):
        match = re.match(r'<article class="site-popup" data-key="([^"]+)"', popup)
        if match:
            found[match.group(1)] = popup
    return found


def tour_popups(html: str) -> dict[str, str]:
    found = {}
    for popup in popups(html):
        match = re.match(r'<article class="tour-popup" data-tour="([^"]+)"', popup)
        if match:
            found[match.group(1)] = popup
    return found


def links(fragment: str) -> list[tuple[str, str]]:
    """``(href, text)`` of every link, with entities decoded."""
    return parse(fragment).links


def overlays(html: str) -> dict[str, str]:
    """The layer list's overlays: script variable -> name shown (HTML)."""
    match = _OVERLAYS.search(html)
    assert match, "the page has no layer control"
    return {variable: json.loads(name) for name, variable in _OVERLAY.findall(match["body"])}


def marker_layers(html: str) -> list[tuple[str, str]]:
    """``(site key, script variable of the layer it is added to)`` for every site marker."""
    layers = {json.loads(category): name for category, name in _CATEGORY_LAYER.findall(html)}
    return [(str(site["siteKey"]), layers[site["category"]]) for site in site_data(html)]


def polylines(html: str) -> dict[str, list[list[float]]]:
    """Each line's script variable and its points."""
    return {
        name: json.loads(re.sub(r",\s*\]", "]", points)) for name, points in _POLYLINE.findall(html)
    }


def urls(html: str) -> list[str]:
    """Every http(s) address anywhere in the page, JavaScript escapes decoded."""
    return _URL.findall(unescape(html.replace("\\u0026", "&")))


def text_of(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", fragment))
