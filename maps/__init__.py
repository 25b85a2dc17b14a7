"""The map of every site: layers by category, clusters, search, "where am I?" and curated tours.

``build_map`` makes the page; ``read_tours`` and ``load_labels`` read its data files;
``maps.vendor`` copies the browser libraries it loads from ``node_modules/``.
"""

from maps.assets import DEFAULT_PREFIX
from maps.build import build_map, site_keys_in
from maps.datafile import MapDataError
from maps.labels import MapLabels, load_labels
from maps.tours import TOURS_FILE, Tour, read_tours

__all__ = [
    "DEFAULT_PREFIX",
    "TOURS_FILE",
    "MapDataError",
    "MapLabels",
    "Tour",
    "build_map",
    "load_labels",
    "read_tours",
    "site_keys_in",
]
