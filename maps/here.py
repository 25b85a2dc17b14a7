""" "You are here": which site a visitor stands at, or the nearest ones, in their language.

``whereabouts(sites, lat, lon, lang)`` answers with the site whose area holds the position
(see ``Site.area``), the nearest other sites with their straight-line distance and compass
direction, and, on a tour, the next stop. Every text comes from ``labels.yaml`` (``here``).
The position is used for the answer only; nothing here keeps it.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

from maps.labels import HereLabels, load_labels
from maps.popups import listen_url
from maps.tours import Tour
from sites_data.geo import bearing_deg, compass_point, distance_m
from sites_data.languages import checked_language
from sites_data.schema import Site
from sites_data.store import Catalogue

NEAREST_COUNT = 3


@dataclass(frozen=True)
class Place:
    """A site as the answer names it: its page, how far and which way from the visitor."""

    key: str
    name: str
    page: str
    distance_m: int
    direction: str
    where: str


def format_distance(metres: float, lang: str, here: HereLabels) -> str:
    """'80 m', '350 m', '1.2 km', '23 km': metres to the ten below a kilometre."""
    if metres < 1000:
        number = str(max(10, round(metres / 10) * 10))
        return here.metres[lang].replace("{number}", number)
    kilometres = f"{metres / 1000:.1f}" if metres < 10_000 else f"{metres / 1000:.0f}"
    number = kilometres.replace(".", here.decimal_separator[lang])
    return here.kilometres[lang].replace("{number}", number)


def _place(site: Site, lat: float, lon: float, lang: str, here: HereLabels) -> Place:
    metres = distance_m(lat, lon, site.location.lat, site.location.lon)
    point = compass_point(bearing_deg(lat, lon, site.location.lat, site.location.lon))
    where = (
        here.distance[lang]
        .replace("{distance}", format_distance(metres, lang, here))
        .replace("{direction}", here.compass[point][lang])  # type: ignore[index]
    )
    return Place(site.key, site.name(lang), listen_url(site.key, lang), round(metres), point, where)


def _tour_answer(
    tour: Tour,
    public: dict[str, Site],
    at: Site | None,
    lat: float,
    lon: float,
    lang: str,
    here: HereLabels,
) -> dict[str, Any]:
    stops = [public[key] for key in tour.stops if key in public]
    at_stop = next((number for number, stop in enumerate(stops) if stop is at), None)
    if at_stop is not None:
        following = stops[at_stop + 1 :]
    else:
        # Not at a stop: the next is the nearest stop not yet behind the visitor.
        nearest = min(
            range(len(stops)),
            key=lambda number: distance_m(
                lat, lon, stops[number].location.lat, stops[number].location.lon
            ),
        )
        following = stops[nearest:]
    next_place = _place(following[0], lat, lon, lang, here) if following else None
    return {
        "key": tour.key,
        "name": tour.name(lang),
        "stops": [
            {"key": stop.key, "name": stop.name(lang), "page": listen_url(stop.key, lang)}
            for stop in stops
        ],
        "at_stop": at_stop,
        "next": asdict(next_place) if next_place else None,
        "text": (
            here.next_stop[lang]
            .replace("{site}", next_place.name)
            .replace("{where}", next_place.where)
            if next_place
            else here.tour_done[lang]
        ),
    }


def whereabouts(
    sites: Sequence[Site], lat: float, lon: float, lang: str, tour: Tour | None = None
) -> dict[str, Any]:
    """What to tell a visitor at ``(lat, lon)``, as JSON-ready data (see the module)."""
    checked_language(lang)
    here = load_labels().here
    by_distance = sorted(
        sites, key=lambda site: distance_m(lat, lon, site.location.lat, site.location.lon)
    )
    # The nearest of the sites whose area holds the position: areas may overlap.
    at = next((site for site in by_distance if site.contains(lat, lon)), None)
    others = [site for site in by_distance if site is not at][:NEAREST_COUNT]
    answer: dict[str, Any] = {
        "at": asdict(_place(at, lat, lon, lang, here)) if at else None,
        "text": here.at[lang].replace("{site}", at.name(lang)) if at else here.not_at[lang],
        "nearest_title": here.also_near[lang] if at else None,
        "nearest": [asdict(_place(site, lat, lon, lang, here)) for site in others],
        "tour": None,
    }
    if tour is not None and any(key in {site.key for site in sites} for key in tour.stops):
        answer["tour"] = _tour_answer(
            tour, {site.key: site for site in sites}, at, lat, lon, lang, here
        )
    return answer


def here_panel(lang: str, site: str | None = None, tour: str | None = None) -> str:
    """The "Where am I?" section a page shows (the map below the map, the QR page, home).

    ``here.js`` makes its button ask the browser for the position, then ``/api/here``;
    ``site`` is the page's own site, ``tour`` the tour the visitor follows, if any.
    """
    here = load_labels().here
    data = {
        "data-here": "",
        "data-lang": lang,
        "data-site": site or "",
        "data-tour": tour or "",
        "data-listen": load_labels().listen[lang],
        "data-locating": here.locating[lang],
        "data-denied": here.denied[lang],
        "data-unavailable": here.unavailable[lang],
    }
    attributes = " ".join(f'{name}="{escape(value)}"' for name, value in data.items())
    return (
        f'<section class="here" id="here" {attributes}>'
        f'<p><button type="button" class="here-button" data-here-button>'
        f"{escape(here.button[lang])}"
        "</button></p>"
        f'<p class="here-note">{escape(here.explain[lang])}</p>'
        '<div class="here-answer" data-here-answer role="status" aria-live="polite"></div>'
        "</section>"
    )


def tour_playlist(tour: Tour, catalogue: Catalogue, current: str, lang: str) -> dict[str, Any]:
    """A tour's stops for a site page's playlist, the page's own site ``current``
    (``here.js`` plays them in turn)."""
    here = load_labels().here
    stops = [catalogue.sites[key] for key in tour.stops if key in catalogue.sites]
    return {
        "key": tour.key,
        "title": here.playlist[lang],
        "name": tour.name(lang),
        "now_playing": here.now_playing[lang],
        "current_name": next((stop.name(lang) for stop in stops if stop.key == current), ""),
        "stops": [
            {"key": stop.key, "name": stop.name(lang), "current": stop.key == current}
            for stop in stops
        ],
    }
