"""Map pages for the web application: built once per language and version of the sites."""

from collections.abc import Sequence
from threading import Lock

from maps.assets import DEFAULT_PREFIX
from maps.build import OSM_TILES, build_map
from maps.tours import Tour
from sites_data.store import Catalogue


class MapPages:
    """The map page in each language, rebuilt only when the public sites change.

    At start-up: ``pages = MapPages(read_tours())``; per request (``GET /map?lang=xx``):
    ``pages.page(store.catalogue(), lang)``. The store hands out a new catalogue after any
    change to a site, by any process, and that is what makes the pages be built again.
    """

    def __init__(
        self,
        tours: Sequence[Tour],
        assets_prefix: str = DEFAULT_PREFIX,
        tile_url: str = OSM_TILES,
    ) -> None:
        self._tours = list(tours)
        self._tile_url = tile_url
        self._assets_prefix = assets_prefix
        self._lock = Lock()
        self._catalogue: Catalogue | None = None
        self._pages: dict[str, str] = {}

    @property
    def tours(self) -> list[Tour]:
        return list(self._tours)

    def page(self, catalogue: Catalogue, lang: str) -> str:
        """The HTML document; raises UnsupportedLanguage for a language the guide lacks."""
        with self._lock:
            if catalogue is not self._catalogue:
                self._catalogue, self._pages = catalogue, {}
            if lang not in self._pages:
                sites = [catalogue.sites[key] for key in sorted(catalogue.sites)]
                self._pages[lang] = build_map(
                    sites, lang, self._tours, self._assets_prefix, self._tile_url
                )
            return self._pages[lang]
