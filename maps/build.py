"""The map page: every site by category, clustered, searchable, with the curated tours.

How to count the site markers
-----------------------------
Every site has exactly one marker, created as ``L.marker([lat, lon], {..., "siteKey": "<key>"})``.

- In the HTML: count the ``"siteKey"`` options (``site_keys_in(html)`` does it).
- In a browser: ``heritageGuide.siteKeys()`` lists every marker's key, whatever the zoom
  and whichever layers are on; ``heritageGuide.sites[key].marker`` is the Leaflet marker.
  Markers not gathered into a cluster are ``.site-marker`` elements with the site's name as
  ``title``; clustered ones are not in the page until the cluster opens.
- The search layer is a GeoJSON collection with one feature per site, ``properties.key``
  and ``properties.name``.
"""

import re
from collections.abc import Sequence
from html import escape

import folium
from folium import plugins

from maps.assets import DEFAULT_PREFIX, use_local_assets
from maps.elements import (
    BoundPopup,
    BoundTooltip,
    ControlTitles,
    GuidePage,
    SearchTexts,
    SiteDirectory,
    Stylesheet,
    js_string,
)
from maps.labels import MapLabels, load_labels
from maps.popups import site_popup, tour_popup
from maps.tours import Tour
from sites_data.languages import checked_language
from sites_data.schema import Category, Site

# Awesome-markers colour and Font Awesome 6 icon of each category.
CATEGORY_MARKERS: dict[Category, tuple[str, str]] = {
    Category.CHAM_TOWER: ("darkred", "gopuram"),
    Category.MUSEUM: ("blue", "building-columns"),
    Category.PAGODA: ("orange", "vihara"),
    Category.HISTORIC_SITE: ("darkpurple", "monument"),
    Category.CRAFT_VILLAGE: ("cadetblue", "store"),
    Category.BEACH: ("lightblue", "umbrella-beach"),
    Category.NATURE: ("green", "tree"),
    Category.LANDSCAPE: ("darkgreen", "mountain-sun"),
}
OSM_MAX_ZOOM = 19
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
TOUR_COLOURS = ("#b03a2e", "#1f618d", "#7d3c98", "#b9770e", "#117864")

PAGE_CSS = """
.site-popup h3, .tour-popup h3 { margin: 0 0 .25em; font-size: 1.1em; }
.site-popup p, .tour-popup p { margin: .4em 0; }
.site-category { color: #555; font-size: .9em; }
.site-links { display: flex; flex-wrap: wrap; gap: .4em .9em; font-weight: bold; }
.tour-popup h4 { margin: .6em 0 .2em; }
.tour-popup ol { margin: 0; padding-left: 1.4em; }
.tour-note { color: #555; font-size: .85em; font-style: italic; }
.layer-swatch { display: inline-block; width: 1.4em; border-bottom: 4px solid; margin-right: .3em; }
"""

_SITE_KEY = re.compile(r'"siteKey": "([a-z0-9-]+)"')


def site_keys_in(html: str) -> list[str]:
    """The site key of every marker in a page built by ``build_map``, in page order."""
    return _SITE_KEY.findall(html)


def _category_layers(
    page_map: folium.Map, sites: Sequence[Site], lang: str, labels: MapLabels
) -> tuple[plugins.MarkerCluster, list[tuple[str, folium.Marker, plugins.FeatureGroupSubGroup]]]:
    cluster = plugins.MarkerCluster(  # type: ignore[no-untyped-call]
        control=False, options={"showCoverageOnHover": False, "maxClusterRadius": 50}
    )
    cluster.add_to(page_map)
    entries = []
    for category, (colour, icon) in CATEGORY_MARKERS.items():
        members = [site for site in sites if site.category == category]
        if not members:
            continue
        name = (
            f'<i class="fa fa-{icon}" aria-hidden="true"></i> '
            f"{escape(labels.category(category, lang))} ({len(members)})"
        )
        layer = plugins.FeatureGroupSubGroup(cluster, name=name)  # type: ignore[no-untyped-call]
        layer.add_to(page_map)
        for site in members:
            marker = folium.Marker(
                [site.location.lat, site.location.lon],
                icon=folium.Icon(
                    color=colour, icon=icon, prefix="fa", class_name="awesome-marker site-marker"
                ),
                title=site.name(lang),
                site_key=site.key,
            )
            BoundPopup(site_popup(site, lang, labels)).add_to(marker)
            marker.add_to(layer)
            entries.append((site.key, marker, layer))
    return cluster, entries


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


def _search_layer(sites: Sequence[Site], lang: str) -> folium.GeoJson:
    """The sites as GeoJSON points for the search box; the markers show them, these stay unseen."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [site.location.lon, site.location.lat]},
            "properties": {"key": site.key, "name": site.name(lang)},
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
    """Adds search, locate-me, full screen, the layer list and the language of every control.

    Returns the name of the search control's script variable.
    """
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
    plugins.LocateControl(  # type: ignore[no-untyped-call]
        strings={
            "title": labels.locate_title[lang],
            "popup": labels.locate_popup[lang],
            "metersUnit": labels.locate_metres[lang],
        },
    ).add_to(page_map)
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


def build_map(
    sites: Sequence[Site],
    lang: str,
    tours: Sequence[Tour],
    assets_prefix: str = DEFAULT_PREFIX,
    tile_url: str = OSM_TILES,
) -> str:
    """The whole map page (an HTML document) in ``lang``.

    One marker per site in a layer per category, clustered; a popup per site with its name,
    short description and category and links to listen, ask and get directions; one layer
    per tour; search by name, locate-me and full screen. Scripts and styles load from
    ``assets_prefix`` (see ``maps.vendor``); only the map tiles come from the network, from
    ``tile_url`` (a template with ``{z}``, ``{x}`` and ``{y}``).
    """
    checked_language(lang)
    if not sites:
        raise ValueError("there are no sites to map")
    labels = load_labels()
    prefix = assets_prefix if assets_prefix.endswith("/") else assets_prefix + "/"
    page = GuidePage(lang=lang, title=labels.title[lang])
    # The tiles come last (below), so the map is told their deepest zoom, which clustering needs.
    page_map = folium.Map(tiles=None, control_scale=True, maxZoom=OSM_MAX_ZOOM)
    page.add_child(page_map)
    page.header.add_child(Stylesheet(PAGE_CSS), name="guide_map_css")
    cluster, entries = _category_layers(page_map, sites, lang, labels)
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
    folium.TileLayer(tile_url, attr=OSM_ATTRIBUTION, control=False, max_zoom=OSM_MAX_ZOOM).add_to(
        page_map
    )
    # Last: it opens the site asked for in the address, once the map has its first view.
    SiteDirectory(page_map, cluster, entries, search_control).add_to(page_map)
    use_local_assets(page, prefix)
    return _zoomable(page.render())


def _zoomable(html: str) -> str:
    """Let visitors zoom the page: Folium's viewport forbids it, which fails WCAG 1.4.4."""
    viewport = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no[^"]*" ?/>')
    html, replaced = viewport.subn(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', html, count=1
    )
    if not replaced:
        raise RuntimeError("Folium's viewport tag has changed: update maps.build._zoomable")
    return html
