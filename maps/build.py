"""The map page: every site by category, clustered, searchable, with the curated tours.

How to count the site markers
-----------------------------
Every site has exactly one marker, made in the browser from the page's site list, whose
entries read ``{"siteKey": "<key>", "lat": …, "lon": …, "title": …, "category": …,
"popup": …}`` (see ``maps.elements.SiteMarkers``).

- In the HTML: count the ``"siteKey"`` entries (``site_keys_in(html)`` does it).
- In a browser: ``heritageGuide.siteKeys()`` lists every marker's key, whatever the zoom
  and whichever layers are on; ``heritageGuide.sites[key].marker`` is the Leaflet marker.
  Markers not gathered into a cluster are ``.site-marker`` elements with the site's name as
  ``title``; clustered ones are not in the page until the cluster opens.
- The search layer is a GeoJSON collection with one feature per site, ``properties.key``,
  ``properties.name`` and ``properties.terms`` (the names it is found by, folded).

What the page weighs
--------------------
Leaflet, the cluster, subgroup, search and full-screen plugins, deferred; no icon font (the
icons are inline SVG, ``maps.icons``), no locate plugin (``here.js`` answers "where am I?"
with the site the visitor is at). ``bench/map_weight.py`` measures it in Chromium.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import folium
from branca.element import Element
from folium import plugins

from maps.assets import DEFAULT_PREFIX, use_local_assets
from maps.elements import (
    BoundPopup,
    BoundTooltip,
    ControlTitles,
    GuidePage,
    HereControl,
    PopupWidth,
    SearchTexts,
    SiteMarkers,
    Stylesheet,
    js_string,
)
from maps.here import here_panel
from maps.icons import icons_css
from maps.labels import MapLabels, load_labels
from maps.popups import site_popup, tour_popup
from maps.tours import Tour
from sites_data.languages import checked_language
from sites_data.schema import Category, Site
from sites_data.textnorm import fold

TOUR_COLOURS = ("#b03a2e", "#1f618d", "#7d3c98", "#b9770e", "#117864")
HERE_SCRIPT = "/static/here.js"


@dataclass(frozen=True)
class TileServer:
    """Where the map's tiles come from, and the credit their licence asks for (HTML)."""

    url: str
    attribution: str
    max_zoom: int = 19


OPENSTREETMAP = TileServer(
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors",
)

# 44 px controls (WCAG 2.5.5), a map of bounded height so the page scrolls past it on a
# phone, the "where am I?" panel below.
PAGE_CSS = """
body { font-family: system-ui, sans-serif; }
.site-popup h3, .tour-popup h3 { margin: 0 0 .25em; font-size: 1.1em; }
.site-popup p, .tour-popup p { margin: .4em 0; }
.site-category { color: #555; font-size: .9em; }
.site-links { display: flex; flex-wrap: wrap; gap: .4em .9em; font-weight: bold; }
.site-links a { display: inline-block; padding: .35em 0; }
.tour-popup h4 { margin: .6em 0 .2em; }
.tour-popup ol { margin: 0; padding-left: 1.4em; }
.tour-popup li a { display: inline-block; padding: .3em 0; }
.tour-note { color: #555; font-size: .85em; font-style: italic; }
.layer-swatch { display: inline-block; width: 1.4em; border-bottom: 4px solid; margin-right: .3em; }
.leaflet-container.folium-map .leaflet-bar a { width: 44px; height: 44px; line-height: 44px; }
.leaflet-container.folium-map .leaflet-control-zoom a { font-size: 22px; }
.leaflet-container.folium-map .leaflet-control-layers-toggle { width: 44px; height: 44px; }
.leaflet-container.folium-map .leaflet-control-layers label { padding: .45em 0; }
.leaflet-container.folium-map .leaflet-control-search .search-button {
  width: 44px; height: 44px; box-sizing: border-box; padding: 12px;
  background-origin: content-box; background-clip: content-box; background-position: 0 0; }
.leaflet-container.folium-map .leaflet-control-search .search-button:hover {
  background-position: 0 -24px; }
/* The plugins' icons are sprites: at 44 px, only the wanted icon is shown. */
.leaflet-container.folium-map .leaflet-bar a.fullscreen-icon {
  box-sizing: border-box; padding: 9px; background-origin: content-box;
  background-clip: content-box; background-position: 0 0; }
.leaflet-container.folium-map .leaflet-bar a.fullscreen-icon.leaflet-fullscreen-on {
  background-position: 0 -26px; }
.leaflet-container.folium-map .leaflet-control-search .search-input {
  height: 40px; font-size: 16px; }
.leaflet-container.folium-map .leaflet-control-search .search-tip { padding: .6em .4em; }
.leaflet-container.folium-map .leaflet-control-search .search-cancel { top: 14px; }
.leaflet-container.folium-map .here-control a {
  display: flex; align-items: center; justify-content: center; color: #222; }
.here-control .icon { font-size: 22px; }
.here { padding: .5rem 1rem 2rem; max-width: 42rem; line-height: 1.5; }
.here-button { min-height: 44px; padding: .5em 1.2em; font: inherit; font-weight: bold;
  border: 0; border-radius: 6px; background: #1a5fa8; color: #fff; cursor: pointer; }
.here-note, .map-hint { color: #555; font-size: .9em; }
.map-hint { margin: .5rem 1rem 0; }
.here-answer ul { padding-left: 1.2em; }
.here-answer li { margin: .4em 0; }
.here-answer a { padding: .3em 0; }
"""

_SITE_KEY = re.compile(r'"siteKey": "([a-z0-9-]+)"')


def site_keys_in(html: str) -> list[str]:
    """The site key of every marker in a page built by ``build_map``, in page order."""
    return _SITE_KEY.findall(html)


def _category_layers(
    page_map: folium.Map, sites: Sequence[Site], lang: str, labels: MapLabels
) -> tuple[plugins.MarkerCluster, dict[str, Element]]:
    cluster = plugins.MarkerCluster(  # type: ignore[no-untyped-call]
        control=False, options={"showCoverageOnHover": False, "maxClusterRadius": 50}
    )
    cluster.add_to(page_map)
    layers: dict[str, Element] = {}
    for category in Category:
        members = [site for site in sites if site.category == category]
        if not members:
            continue
        name = (
            f'<span class="legend-icon category-{category.value}" aria-hidden="true">'
            f'<span class="icon icon-{category.value}"></span></span> '
            f"{escape(labels.category(category, lang))} ({len(members)})"
        )
        layer = plugins.FeatureGroupSubGroup(cluster, name=name)  # type: ignore[no-untyped-call]
        layer.add_to(page_map)
        layers[category.value] = layer
    return cluster, layers


def _site_entries(sites: Sequence[Site], lang: str, labels: MapLabels) -> list[dict[str, object]]:
    return [
        {
            "siteKey": site.key,
            "lat": site.location.lat,
            "lon": site.location.lon,
            "title": site.name(lang),
            "category": Category(site.category).value,
            "popup": site_popup(site, lang, labels),
        }
        for site in sites
    ]


def _tour_layers(
    page_map: folium.Map,
    tours: Sequence[Tour],
    sites: dict[str, Site],
    lang: str,
    labels: MapLabels,
) -> None:
    for number, tour in enumerate(tours):
        # A stop archived since the tour was written is left out of the line.
        stops = [sites[key] for key in tour.stops if key in sites]
        if len(stops) < 2:
            continue
        colour = TOUR_COLOURS[number % len(TOUR_COLOURS)]
        swatch = f'<span class="layer-swatch" style="color: {colour}"></span>'
        name = swatch + escape(tour.name(lang))
        layer = folium.FeatureGroup(name=name).add_to(page_map)
        line = folium.PolyLine(  # type: ignore[no-untyped-call]
            [[site.location.lat, site.location.lon] for site in stops],
            color=colour,
            weight=5,
            opacity=0.8,
            dash_array="10 8",
        )
        BoundPopup(tour_popup(tour, stops, lang, labels)).add_to(line)
        BoundTooltip(tour.name(lang)).add_to(line)
        line.add_to(layer)


def search_terms(site: Site, lang: str) -> str:
    """What the search box finds a site by, folded (no case, no diacritics): its name in the
    page's language and in Vietnamese, and the aliases of both ('thap doi' finds Tháp Đôi)."""
    names = [site.name(lang), site.names["vi"], *site.aliases.get(lang, []), *site.aliases["vi"]]
    return " | ".join(dict.fromkeys(fold(name) for name in names))


def _search_layer(sites: Sequence[Site], lang: str) -> folium.GeoJson:
    """The sites as GeoJSON points for the search box; the markers show them, these stay unseen."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [site.location.lon, site.location.lat]},
            "properties": {
                "key": site.key,
                "name": site.name(lang),
                "terms": search_terms(site, lang),
            },
        }
        for site in sites
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="site-search",
        control=False,
        zoom_on_click=False,
        marker=folium.CircleMarker(radius=0, stroke=False, fill=False, interactive=False),
    )


def _controls(
    page_map: folium.Map, search_layer: folium.GeoJson, lang: str, labels: MapLabels
) -> str:
    """Adds search, "where am I?", full screen, the layer list and the language of every
    control. Returns the name of the search control's script variable."""
    SearchTexts(labels.search_not_found[lang], labels.search_cancel[lang]).add_to(page_map)
    search = plugins.Search(  # type: ignore[no-untyped-call]
        layer=search_layer,
        search_label="name",
        geom_type="Point",
        # Folium writes the placeholder between single quotes in a script.
        placeholder=js_string(labels.search_placeholder[lang])[1:-1].replace("'", "\\'"),
        collapsed=True,
        position="topright",
    )
    search.add_to(page_map)
    HereControl(page_map, labels.locate_title[lang]).add_to(page_map)
    plugins.Fullscreen(  # type: ignore[no-untyped-call]
        title=labels.fullscreen[lang], title_cancel=labels.fullscreen_exit[lang]
    ).add_to(page_map)
    layer_control = folium.LayerControl(collapsed=True)
    layer_control.add_to(page_map)
    ControlTitles(
        page_map, layer_control, labels.zoom_in[lang], labels.zoom_out[lang], labels.layers[lang]
    ).add_to(page_map)
    # Folium names the control after its layer.
    return f"{search_layer.get_name()}searchControl"


def _below_map(lang: str, labels: MapLabels, here_script: str) -> str:
    return (
        f'<p class="map-hint">{escape(labels.here.touch_hint[lang])}</p>'
        f"{here_panel(lang)}"
        f'<script defer src="{escape(here_script)}"></script>'
    )


def build_map(
    sites: Sequence[Site],
    lang: str,
    tours: Sequence[Tour],
    assets_prefix: str = DEFAULT_PREFIX,
    tiles: TileServer = OPENSTREETMAP,
    here_script: str = HERE_SCRIPT,
) -> str:
    """The whole map page (an HTML document) in ``lang``.

    One marker per site in a layer per category, clustered; a popup per site with its name,
    short description and category and links to listen, ask and get directions (Google Maps
    and OpenStreetMap); one layer per tour; search by name (with or without diacritics),
    "where am I?" (``here_script``) and full screen. Scripts and styles load from
    ``assets_prefix`` (see ``maps.vendor``), deferred; only the tiles come from ``tiles``.
    """
    checked_language(lang)
    if not sites:
        raise ValueError("there are no sites to map")
    labels = load_labels()
    prefix = assets_prefix if assets_prefix.endswith("/") else assets_prefix + "/"
    page = GuidePage(
        lang=lang,
        title=labels.title[lang],
        description=labels.description[lang],
        below_map=_below_map(lang, labels, here_script),
    )
    # The tiles come last (below), so the map is told their deepest zoom, which clustering
    # needs. The map's height leaves the page room to scroll on a phone.
    page_map = folium.Map(tiles=None, control_scale=True, maxZoom=tiles.max_zoom, height="78vh")
    page.add_child(page_map)
    page.header.add_child(Stylesheet(PAGE_CSS + icons_css()), name="guide_map_css")
    PopupWidth().add_to(page_map)
    cluster, layers = _category_layers(page_map, sites, lang, labels)
    _tour_layers(page_map, tours, {site.key: site for site in sites}, lang, labels)
    search_layer = _search_layer(sites, lang)
    search_layer.add_to(page_map)
    search_control = _controls(page_map, search_layer, lang, labels)
    page_map.fit_bounds(
        [
            [min(site.location.lat for site in sites), min(site.location.lon for site in sites)],
            [max(site.location.lat for site in sites), max(site.location.lon for site in sites)],
        ],
        padding=(20, 20),
    )
    # After the first view is set, so that no tiles of the whole world are fetched first.
    folium.TileLayer(
        tiles.url, attr=tiles.attribution, control=False, max_zoom=tiles.max_zoom
    ).add_to(page_map)
    # Last: it opens the site asked for in the address, once the map has its first view.
    entries = _site_entries(sites, lang, labels)
    SiteMarkers(page_map, cluster, layers, entries, search_control).add_to(page_map)
    use_local_assets(page, prefix)
    return _deferred(_zoomable(page.render()))


def _zoomable(html: str) -> str:
    """Let visitors zoom the page: Folium's viewport forbids it, which fails WCAG 1.4.4."""
    viewport = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no[^"]*" ?/>')
    html, replaced = viewport.subn(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', html, count=1
    )
    if not replaced:
        raise RuntimeError("Folium's viewport tag has changed: update maps.build._zoomable")
    return html


def _deferred(html: str) -> str:
    """Folium's library scripts, deferred: the page shows before they run (in their order,
    then the page's module script)."""
    html, count = re.subn(r'<script src="', '<script defer src="', html)
    if not count:
        raise RuntimeError("Folium's script tags have changed: update maps.build._deferred")
    return html
