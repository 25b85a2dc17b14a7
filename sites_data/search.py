"""Finding sites by any of their names, and by distance."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sites_data.places import Place, places
from sites_data.schema import Site
from sites_data.textnorm import fold

# Below this a hit is more likely noise than the place the visitor meant.
MIN_SCORE = 88.0
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class SearchHit:
    key: str
    score: float
    matched: str


class SearchIndex:
    """Every name and alias of every site, in every language, folded for comparison."""

    def __init__(self, sites: Iterable[Site]) -> None:
        self._keys: list[str] = []
        self._surfaces: list[str] = []
        self._folded: list[str] = []
        for site in sites:
            surfaces = {*site.names.values()}
            for aliases in site.aliases.values():
                surfaces.update(aliases)
            for surface in sorted(surfaces):
                self._keys.append(site.key)
                self._surfaces.append(surface)
                self._folded.append(fold(surface))

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Sites whose names match ``query``, best first; typos and missing diacritics allowed."""
        folded = fold(query)
        if not folded:
            return []
        matches = process.extract(
            folded,
            self._folded,
            scorer=fuzz.WRatio,
            score_cutoff=MIN_SCORE,
            limit=None,
        )
        best: dict[str, SearchHit] = {}
        for _, score, index in matches:
            key = self._keys[index]
            exact = self._folded[index] == folded
            # An exact name outranks a fuzzy one with the same score.
            rank = score + (1.0 if exact else 0.0)
            if key not in best or rank > best[key].score:
                best[key] = SearchHit(key=key, score=round(rank, 1), matched=self._surfaces[index])
        return sorted(best.values(), key=lambda hit: (-hit.score, hit.key))[:limit]


def place_names(sites: Iterable[Site]) -> dict[str, frozenset[str]]:
    """Every name and alias of the sites, and the towns and provinces they lie in, folded,
    each with the languages it is a name in.

    These words are the same whatever language a visitor writes in; the languages tell
    whose name it is when a message is nothing else ("Ky Co Strand" is German). Towns and
    provinces belong to no language in particular (an empty set).
    """
    languages: dict[str, set[str]] = {}
    for site in sites:
        province = site.province
        for town in [province.current, province.former, *province.former_district.split("–")]:
            languages.setdefault(fold(town), set())
        named_in = [(lang, [site.names[lang], *site.aliases.get(lang, [])]) for lang in site.names]
        for lang, names in named_in:
            for name in names:
                languages.setdefault(fold(name), set()).add(lang)
    return {name: frozenset(langs) for name, langs in languages.items() if name}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearby(
    sites: Iterable[Site], lat: float, lon: float, radius_km: float
) -> list[tuple[Site, float]]:
    """Sites within ``radius_km`` of a point, nearest first, with their distance in km."""
    within = []
    for site in sites:
        distance = distance_km(lat, lon, site.location.lat, site.location.lon)
        if distance <= radius_km:
            within.append((site, distance))
    return sorted(within, key=lambda pair: (pair[1], pair[0].key))


def nearest_places(lat: float, lon: float) -> list[tuple[Place, float]]:
    """The nearest city centre and the nearest airport, each with its straight-line km."""
    found: dict[str, tuple[Place, float]] = {}
    for place in places():
        if place.location is None:
            continue
        km = distance_km(lat, lon, place.location["lat"], place.location["lon"])
        if place.kind not in found or km < found[place.kind][1]:
            found[place.kind] = (place, km)
    return sorted(found.values(), key=lambda pair: pair[0].kind != "city_centre")
