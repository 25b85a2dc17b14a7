"""The browser files the map loads: local copies of npm packages, never a CDN.

Each Folium element lists the files it needs as ``(name, CDN url)`` pairs in ``default_js``
and ``default_css``. ``LOCAL_FILES`` gives, for every name the map keeps, the file inside
``node_modules/`` that replaces it; the page refers to it as ``<prefix><path>``, and
``maps.vendor`` copies it to the same path under the static folder. A name in neither
table stops the build, so a Folium upgrade cannot slip a CDN link back in.
"""

from collections.abc import Iterator

from branca.element import Element
from folium.elements import JSCSSMixin

DEFAULT_PREFIX = "/static/vendor/"

LOCAL_FILES: dict[str, str] = {
    # folium.Map
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    # plugins.MarkerCluster
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    # plugins.FeatureGroupSubGroup
    "featuregroupsubgroupjs": "leaflet.featuregroup.subgroup/dist/leaflet.featuregroup.subgroup.js",
    # plugins.Fullscreen
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    # plugins.Search
    "Leaflet.Search.js": "leaflet-search/dist/leaflet-search.min.js",
    "Leaflet.Search.css": "leaflet-search/dist/leaflet-search.min.css",
}

# Swagger UI for the API documentation page (/docs, in api/routes/docs.py): not the map's,
# but copied by the same step so that no page of the guide loads a CDN.
API_DOCS_FILES: dict[str, str] = {
    "swagger_js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger_css": "swagger-ui-dist/swagger-ui.css",
    "swagger_favicon": "swagger-ui-dist/favicon-32x32.png",
}

# Files a script loads by itself rather than through a link or a stylesheet: Leaflet's
# default marker (found through its stylesheet's marker-icon.png).
RUNTIME_FILES = (
    "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/dist/images/marker-shadow.png",
)

# Folium's map loads these for features this map does not use.
NOT_NEEDED: dict[str, str] = {
    "jquery": "only Folium's Popup needs it; the map binds its popups with Leaflet itself",
    "bootstrap": "no Bootstrap component is used",
    "bootstrap_css": "no Bootstrap component is used",
    "glyphicons_css": "the markers' icons are inline SVG (maps.icons)",
    "awesome_markers": "the markers are Leaflet div icons with inline SVG (maps.icons)",
    "awesome_markers_css": "the markers are Leaflet div icons with inline SVG (maps.icons)",
    "awesome_markers_font_css": "no icon font: the icons are inline SVG (maps.icons)",
    "awesome_rotate_css": "no marker icon is rotated",
}


class UnvendoredAsset(LookupError):
    def __init__(self, element: JSCSSMixin, name: str, url: str) -> None:
        super().__init__(
            f"{type(element).__name__} loads {name!r} from {url}; add a local copy to "
            "LOCAL_FILES in maps/assets.py (and its package to package.json), or list it "
            "in NOT_NEEDED"
        )


def npm_package(path: str) -> str:
    """The npm package a ``node_modules`` path belongs to (scoped names have two parts)."""
    parts = path.split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def linked_files() -> list[str]:
    """Every ``node_modules`` path a page of the guide links to."""
    return [*LOCAL_FILES.values(), *API_DOCS_FILES.values()]


def npm_packages() -> set[str]:
    return {npm_package(path) for path in linked_files()}


def _elements(root: Element) -> Iterator[Element]:
    yield root
    for child in root._children.values():
        yield from _elements(child)


def _local(element: JSCSSMixin, links: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    local = []
    for name, url in links:
        if name in NOT_NEEDED:
            continue
        if name not in LOCAL_FILES:
            raise UnvendoredAsset(element, name, url)
        local.append((name, prefix + LOCAL_FILES[name]))
    return local


def use_local_assets(root: Element, prefix: str = DEFAULT_PREFIX) -> None:
    """Point every element under ``root`` at the local copies under ``prefix``.

    Sets the lists on each element, leaving Folium's class-wide defaults untouched.
    """
    for element in _elements(root):
        if isinstance(element, JSCSSMixin):
            element.default_js = _local(element, element.default_js, prefix)
            element.default_css = _local(element, element.default_css, prefix)
