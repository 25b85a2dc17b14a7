"""Curated tours: an ordered list of sites, read from ``tours.yaml``."""

from collections import Counter
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError, field_validator

from maps.datafile import MapDataError, Translations, invalid, read_yaml
from sites_data.files import Problem, display_path
from sites_data.schema import HUMAN_LANGUAGES, Localized, Site, SiteKey, Strict

TOURS_FILE = Path(__file__).with_name("tours.yaml")


def _human_languages(texts: Localized) -> Localized:
    missing = [code for code in HUMAN_LANGUAGES if code not in texts]
    if missing:
        raise ValueError(f"missing language(s) {', '.join(missing)}")
    return texts


class Tour(Strict):
    key: SiteKey
    names: Translations
    description: Annotated[Localized, AfterValidator(_human_languages)]
    stops: list[SiteKey] = Field(min_length=2, description="Site keys in visiting order")

    @field_validator("stops")
    @classmethod
    def _each_stop_once(cls, stops: list[str]) -> list[str]:
        twice = sorted(key for key, count in Counter(stops).items() if count > 1)
        if twice:
            raise ValueError(f"{', '.join(twice)} listed more than once")
        return stops

    def name(self, lang: str) -> str:
        return self.names[lang]


def virtual_tour_url(tour_key: str, lang: str, start: str | None = None) -> str:
    """The tour's panoramas in the 360° viewer (``api.routes.photos``), from ``start``."""
    first = f"&start={start}" if start else ""
    return f"/tours/{tour_key}/360?lang={lang}{first}"


def stops_in_360(tour: Tour, sites: Mapping[str, Site]) -> list[str]:
    """The stops that have a 360° panorama; two make a virtual tour."""
    return [
        stop
        for stop in tour.stops
        if stop in sites and any(photo.panorama for photo in sites[stop].photos)
    ]


_TOUR_LIST = TypeAdapter(list[Tour])


def _named_by_key(problem: Problem, document: object) -> Problem:
    """``0.stops`` reads better as ``vijaya-towers.stops`` to the person editing the file."""
    head, _, rest = problem.field.partition(".")
    if not (head.isdigit() and isinstance(document, list) and int(head) < len(document)):
        return problem
    entry = document[int(head)]
    key = entry.get("key") if isinstance(entry, dict) else None
    if not isinstance(key, str):
        return problem
    return Problem(problem.file, f"{key}.{rest}" if rest else key, problem.message)


def unknown_stops(path: Path, tours: list[Tour], site_keys: Collection[str]) -> list[Problem]:
    return [
        Problem(display_path(path), f"{tour.key}.stops", f"names {stop!r}, which is not a site key")
        for tour in tours
        for stop in tour.stops
        if stop not in site_keys
    ]


def read_tours(path: Path = TOURS_FILE, site_keys: Collection[str] | None = None) -> list[Tour]:
    """The tours in ``path``, checked; with ``site_keys``, every stop must be one of them.

    Raises MapDataError listing every problem as ``file: field: what is wrong``.
    """
    document = read_yaml(path)
    try:
        tours = _TOUR_LIST.validate_python(document)
    except ValidationError as error:
        problems = [_named_by_key(problem, document) for problem in invalid(path, error).problems]
        raise MapDataError(problems) from None
    counts = Counter(tour.key for tour in tours)
    problems = [
        Problem(display_path(path), f"{key}.key", f"used by {count} tours; keys must be unique")
        for key, count in counts.items()
        if count > 1
    ]
    if site_keys is not None:
        problems += unknown_stops(path, tours, site_keys)
    if problems:
        raise MapDataError(problems)
    return tours
