"""What an offline tour pack keeps: the tour's pages in one language, the narration its
pages offer and the map tiles of the tour's area.

The service worker (``api/static/sw.js``) fetches every address of the pack, and whatever
its pages and their stylesheets load from the guide, into one cache named after the pack,
and answers from that cache when the network does not answer.
"""

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import mercantile

from maps.tours import Tour
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

# What the installed app needs that no page loads (the service worker keeps what the pages,
# and the stylesheets they load, name).
APP_ASSETS = ("/manifest.webmanifest", "/icons/icon-512.png", "/icons/maskable-512.png")


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
    assets: list[str]  # what the installed app needs beyond the pages' own files
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
    assets = list(APP_ASSETS)
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
