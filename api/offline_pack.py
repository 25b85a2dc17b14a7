"""What an offline tour pack keeps: the tour's pages in one language, the narration its
pages offer, the files those pages load and the map tiles of the tour's area.

The service worker (``api/static/sw.js``) fetches every address of the pack into one cache
named after it, and answers from that cache when the network does not answer.
"""

import hashlib
import json
import math
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import mercantile

from maps.assets import DEFAULT_PREFIX, LOCAL_FILES, RUNTIME_FILES
from maps.tours import Tour
from maps.vendor import VENDOR_DIR, stylesheet_references
from sites_data.schema import Site

# The whole area from the region down to the streets, and the few streets around each stop.
AREA_ZOOMS = range(7, 14)
STOP_ZOOMS = range(14, 17)
AREA_MARGIN_KM = 2.0
STOP_RADIUS_KM = 0.4
# A pack asks the tile server for a few hundred tiles at most (OpenStreetMap's tile policy
# forbids bulk downloads): past this, the deepest zooms of the area are left out.
MAX_TILES = 400
KM_PER_DEGREE = 111.32

# What every page of the guide loads, and what the app's icon and manifest need.
PAGE_ASSETS = (
    "/static/guide.css",
    "/static/site.js",
    "/static/offline.js",
    "/widget.js",
    "/manifest.webmanifest",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
)
# Files a map stylesheet loads that a browser uses (fonts in their compact format, images).
_MAP_STYLE_FILES = (".woff2", ".png", ".svg", ".gif")


@dataclass(frozen=True)
class Stop:
    key: str
    lat: float
    lon: float


@dataclass(frozen=True)
class TourPack:
    tour: str
    lang: str
    name: str
    cache: str  # the name of the browser cache holding the pack
    revision: str  # changes whenever any address of the pack changes
    pages: list[str]
    assets: list[str]
    audio: list[str]
    tiles: list[str]
    without_audio: list[str]  # stops whose narration is not built yet

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def pack_cache_name(tour_key: str, lang: str) -> str:
    return f"tour-{tour_key}-{lang}"


def _bounds(stops: Sequence[Stop], margin_km: float) -> tuple[float, float, float, float]:
    """West, south, east, north of the stops, widened by ``margin_km`` on each side."""
    south = min(stop.lat for stop in stops)
    north = max(stop.lat for stop in stops)
    lat_margin = margin_km / KM_PER_DEGREE
    lon_margin = margin_km / (KM_PER_DEGREE * math.cos(math.radians((south + north) / 2)))
    return (
        min(stop.lon for stop in stops) - lon_margin,
        south - lat_margin,
        max(stop.lon for stop in stops) + lon_margin,
        north + lat_margin,
    )


def tiles_of_area(stops: Sequence[Stop], max_tiles: int = MAX_TILES) -> list[mercantile.Tile]:
    """The tiles of the stops' area at the area zooms and of each stop's streets at the stop
    zooms, shallow zooms first; the deepest zooms go first when there would be too many."""
    wanted: dict[mercantile.Tile, None] = {}
    area = _bounds(stops, AREA_MARGIN_KM)
    levels: list[list[mercantile.Tile]] = [list(mercantile.tiles(*area, [z])) for z in AREA_ZOOMS]
    for zoom in STOP_ZOOMS:
        around = [mercantile.tiles(*_bounds([stop], STOP_RADIUS_KM), [zoom]) for stop in stops]
        levels.append([tile for tiles in around for tile in tiles])
    for level in levels:
        level_tiles = dict.fromkeys(level)
        if len(wanted) + len(level_tiles.keys() - wanted.keys()) > max_tiles:
            break
        wanted.update(level_tiles)
    return list(wanted)


def tile_urls(template: str, tiles: Iterable[mercantile.Tile]) -> list[str]:
    return [
        template.replace("{z}", str(tile.z)).replace("{x}", str(tile.x)).replace("{y}", str(tile.y))
        for tile in tiles
    ]


def map_assets(vendor_dir: Path = VENDOR_DIR, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """The files the map page loads from the vendor folder, with the fonts and images its
    stylesheets name (those that were copied there)."""
    files = [*LOCAL_FILES.values(), *RUNTIME_FILES]
    for path in LOCAL_FILES.values():
        stylesheet = vendor_dir / path
        if path.endswith(".css") and stylesheet.is_file():
            folder = posixpath.dirname(path)
            for reference in stylesheet_references(stylesheet.read_text("utf-8")):
                file = posixpath.normpath(f"{folder}/{reference}")
                if file.endswith(_MAP_STYLE_FILES) and (vendor_dir / file).is_file():
                    files.append(file)
    return [prefix + file for file in dict.fromkeys(files)]


def tour_pack(
    tour: Tour,
    lang: str,
    sites: dict[str, Site],
    audio: dict[str, str],
    tile_template: str,
) -> TourPack:
    """The pack of ``tour`` in ``lang``: ``sites`` are the public sites (an archived stop is
    left out), ``audio`` the narration URL each stop's page offers."""
    stops = [sites[key] for key in tour.stops if key in sites]
    pages = [
        f"/tours/{tour.key}?lang={lang}",
        f"/map?lang={lang}",
        *(f"/s/{site.key}?lang={lang}" for site in stops),
    ]
    assets = [*PAGE_ASSETS, *map_assets()]
    audio_urls = [audio[site.key] for site in stops if site.key in audio]
    tiles = tile_urls(
        tile_template,
        tiles_of_area([Stop(site.key, site.location.lat, site.location.lon) for site in stops]),
    )
    contents = {
        "sites": [site.model_dump(mode="json") for site in stops],
        "tour": tour.model_dump(mode="json"),
        "addresses": [pages, assets, audio_urls, tiles],
    }
    revision = hashlib.sha256(json.dumps(contents, sort_keys=True).encode()).hexdigest()[:16]
    return TourPack(
        tour=tour.key,
        lang=lang,
        name=tour.name(lang),
        cache=pack_cache_name(tour.key, lang),
        revision=revision,
        pages=pages,
        assets=assets,
        audio=audio_urls,
        tiles=tiles,
        without_audio=[site.key for site in stops if site.key not in audio],
    )
