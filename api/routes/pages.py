"""The tourist's pages: the home page and the QR landing page of each site."""

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import (
    LANGUAGE_COOKIE,
    AudioLibraryDep,
    LanguageDep,
    MapPagesDep,
    StoreDep,
    get_services,
    public_site,
)
from api.language import UnsupportedPageLanguage, UnsupportedPathLanguage, accepted_languages
from api.models import in_language, optional_in_language
from api.page_metadata import open_graph, tourist_attraction
from api.photo_views import gallery, virtual_tours
from api.public_cache import per_visitor
from api.qr import qr_url
from api.routes.chat import widget_url
from api.routes.narration import audio_url, known_language
from api.static_assets import asset_url
from api.ui import NATIVE_NAMES, UiText
from maps.here import here_panel, tour_playlist
from maps.popups import directions_url, osm_directions_url
from narration.library import HUMAN, AudioLibrary, AudioVersion
from sites_data.languages import LANGUAGE_CODES
from sites_data.places import places
from sites_data.region import festivals_at
from sites_data.schema import OpeningHours, OpeningPeriod, Price, Reported, Site, Tickets
from sites_data.search import nearest_places
from sites_data.store import Catalogue

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parents[1] / "templates")
templates.env.globals.update(asset_url=asset_url, widget_url=widget_url)

NEARBY_RADIUS_KM = 15.0
NEARBY_COUNT = 5
DAY_ORDER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def render_page(request: Request, name: str, lang: str, context: dict[str, object]) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, name, {"lang": lang, "t": UiText(lang), "languages": NATIVE_NAMES, **context}
    )
    if request.query_params.get("lang"):
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_SECONDS, samesite="lax")
    return response


def _periods(periods: list[OpeningPeriod], t: UiText) -> list[dict[str, str]]:
    names = dict(zip(DAY_ORDER, t.days(), strict=True))
    return [
        {
            "days": t("every_day")
            if set(period.days) == set(DAY_ORDER)
            else ", ".join(names[day] for day in period.days),
            "hours": f"{period.opens}–{period.closes}",
        }
        for period in periods
    ]


def _prices(prices: list[Price], currency: str, t: UiText) -> list[dict[str, object]]:
    return [
        {
            "audience": t(f"audience_{price.audience}"),
            "amount": f"{price.amount:,} {currency}".replace(",", t.thousands_separator()),
            "note": optional_in_language(price.note, t.lang),
        }
        for price in prices
    ]


def _source(version: Reported, t: UiText) -> dict[str, object]:
    """Who published a reported figure and when it was read, as the page says it."""
    published = version.published.isoformat() if version.published else ""
    return {
        "title": version.source.title,
        "url": version.source.url,
        "read": version.read.isoformat(),
        "published": published,
        "note": optional_in_language(version.note, t.lang),
    }


def _hours(hours: OpeningHours, t: UiText) -> dict[str, object]:
    reported = [
        {"periods": _periods(version.periods, t), **_source(version, t)}
        for version in hours.reported
    ]
    return {
        "status": hours.status,
        "periods": _periods(hours.periods, t),
        "reported": reported,
        "note": optional_in_language(hours.note, t.lang),
    }


def _tickets(tickets: Tickets, t: UiText) -> dict[str, object]:
    reported = [
        {"prices": _prices(version.prices, version.currency, t), **_source(version, t)}
        for version in tickets.reported
    ]
    return {
        "status": tickets.status,
        "prices": _prices(tickets.prices, tickets.currency, t),
        "reported": reported,
        "as_of": tickets.as_of.isoformat() if tickets.as_of else "",
        "note": optional_in_language(tickets.note, t.lang),
    }


def _getting_there(site: Site, t: UiText) -> list[str]:
    """Journeys sources describe, then straight-line km from the nearest centre and airport."""
    lines = []
    described: set[str] = set()
    by_key = {place.key: place for place in places()}
    for journey in site.getting_there.journeys:
        described.add(journey.place)
        values = {
            "place": by_key[journey.place].name(t.lang),
            "source": t("reported_by", source=journey.source.title, read=journey.read.isoformat()),
        }
        if journey.km and journey.minutes:
            line = t("journey", km=f"{journey.km:g}", minutes=str(journey.minutes), **values)
        elif journey.km:
            line = t("journey_distance", km=f"{journey.km:g}", **values)
        else:
            line = t("journey_described", **values)
        note = optional_in_language(journey.note, t.lang)
        lines.append(f"{line} {note.text}" if note else line)
    for place, km in nearest_places(site.location.lat, site.location.lon):
        if place.key not in described:
            lines.append(t("straight_line", place=place.name(t.lang), km=f"{km:.0f}"))
    for transport in site.getting_there.public_transport:
        text = in_language(transport.text, t.lang).text
        source = t("reported_by", source=transport.source.title, read=transport.read.isoformat())
        lines.append(f"{text} ({source})")
    return lines


def _festivals(site: Site, t: UiText) -> list[dict[str, object]]:
    return [
        {
            "name": festival.name(t.lang),
            "rule": in_language(festival.rule, t.lang),
            "description": in_language(festival.description, t.lang),
            "dates": [
                {
                    "days": day.start.isoformat()
                    if day.start == day.end
                    else f"{day.start.isoformat()} – {day.end.isoformat()}",
                    "source": day.source,
                }
                for day in sorted(festival.dates, key=lambda day: day.start, reverse=True)
            ],
        }
        for festival in festivals_at(site.key)
    ]


def _audio(version: AudioVersion | None, t: UiText) -> dict[str, str] | None:
    if version is None:
        return None
    minutes, seconds = divmod(round(version.duration_s), 60)
    return {
        "lang": version.lang,
        "url": audio_url(version),
        "opus_url": audio_url(version, "opus"),
        "duration": f"{minutes}:{seconds:02d}",
        "origin": t("narrated_by_person" if version.origin == HUMAN else "synthetic_voice"),
        "download_name": f"{version.site_key}-{version.lang}.mp3",
    }


TourQuery = Annotated[str | None, Query(max_length=80, description="The tour the visitor follows")]


@router.get("/s/{key}")
def site_page(
    key: str,
    request: Request,
    store: StoreDep,
    lang: LanguageDep,
    library: AudioLibraryDep,
    tour: TourQuery = None,
) -> Response:
    """The address a QR code at the site opens: on to the page in the visitor's language
    (keeping the tour the visitor follows)."""
    public_site(store.catalogue(), key)
    accepted = accepted_languages(request.headers.get("accept-language"))
    audio = audio_to_offer(library, key, lang, accepted)
    return _to_canonical_page(request, key, lang, audio, tour)


@router.get("/s/{key}/{lang}", response_class=HTMLResponse)
async def site_page_in_language(
    key: str,
    lang: str,
    request: Request,
    choice: Annotated[str | None, Query(alias="lang", include_in_schema=False)] = None,
    narration: Annotated[
        str | None, Query(description="The narration to offer while the page's is prepared")
    ] = None,
    tour: TourQuery = None,
) -> Response:
    """The page a QR code leads to, the same for everyone: the story to hear and read, and the
    practical facts; "where am I?", and on a tour (``?tour=``) its playlist. ``?lang=`` (the
    page's language links) saves the visitor's choice and leads to the page in that
    language."""
    if choice is not None:
        return _to_canonical_page(request, key, _language_asked(choice), None, tour)
    if lang not in LANGUAGE_CODES:
        raise UnsupportedPathLanguage(lang)
    if narration is not None:
        known_language(narration, ("query", "narration"))

    services = get_services(request)  # no dependencies: see api.public_cache.PublicAnswers

    def render() -> Response:
        catalogue = services.store.catalogue()
        site = public_site(catalogue, key)
        also = [narration] if narration else []
        audio = audio_to_offer(services.narration.library, key, lang, also)
        followed = next((known for known in services.map_pages.tours if known.key == tour), None)
        extra: dict[str, object] = {
            "here_panel": here_panel(lang, key, followed.key if followed else None),
            "playlist": tour_playlist(followed, catalogue, key, lang) if followed else None,
        }
        return render_site_page(request, catalogue, site, lang, audio, extra=extra)

    return await services.public_answers.respond(request, render)


def _language_asked(choice: str) -> str:
    code = choice.strip().lower()
    if code not in LANGUAGE_CODES:
        raise UnsupportedPageLanguage(choice)
    return code


def _to_canonical_page(
    request: Request, key: str, lang: str, audio: AudioVersion | None, tour: str | None
) -> Response:
    """A redirect to the page's canonical address, which names the narration to offer when it
    is not the page's language nor the usual stand-in (English), and the tour followed."""
    query = {}
    if audio is not None and audio.lang not in (lang, "en"):
        query["narration"] = audio.lang
    if tour:
        query["tour"] = tour
    url = f"/s/{key}/{lang}" + (f"?{urlencode(query)}" if query else "")
    response = per_visitor(RedirectResponse(url, status_code=302))
    if request.query_params.get("lang"):
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_SECONDS, samesite="lax")
    return response


def audio_to_offer(
    library: AudioLibrary, key: str, lang: str, also: list[str]
) -> AudioVersion | None:
    """The narration in ``lang``; while it is being prepared, one in a language the visitor
    also reads (``also``: the browser's list), else English."""
    for code in dict.fromkeys([lang, *also, "en"]):
        if (version := library.current(key, code)) is not None:
            return version
    return None


def render_site_page(
    request: Request,
    catalogue: Catalogue,
    site: Site,
    lang: str,
    audio: AudioVersion | None,
    template: str = "site.html",
    extra: dict[str, object] | None = None,
) -> HTMLResponse:
    """A site's QR page; the staff's preview renders unsaved content through it too."""
    key = site.key
    t = UiText(lang)
    site_url = qr_url(get_services(request).settings.public_base_url, key)
    page_url = f"{site_url}/{lang}"
    nearby = [
        {"key": other.key, "name": other.name(lang), "distance_km": f"{distance:.1f}"}
        for other, distance in catalogue.nearby(
            site.location.lat, site.location.lon, NEARBY_RADIUS_KM
        )
        if other.key != key
    ][:NEARBY_COUNT]
    return render_page(
        request,
        template,
        lang,
        {
            "key": key,
            "name": site.name(lang),
            "name_vi": site.names["vi"],
            "audio": _audio(audio, t),
            "audio_missing": t("audio_missing"),
            "description": in_language(site.description, lang),
            "narration": in_language(site.narration, lang),
            "hours": _hours(site.opening_hours, t),
            "tickets": _tickets(site.tickets, t),
            "address": in_language(site.address, lang),
            "getting_there": _getting_there(site, t),
            "festivals": _festivals(site, t),
            "directions_url": directions_url(site.location.lat, site.location.lon),
            "osm_directions_url": osm_directions_url(site.location.lat, site.location.lon),
            "nearby": nearby,
            "notes": optional_in_language(site.notes, lang),
            "sources": site.sources,
            "page_url": page_url,
            "structured_data": tourist_attraction(site, lang, site_url, page_url),
            "open_graph": open_graph(site, lang, page_url, t("guide_title")),
            "gallery": gallery(site, lang),
            "virtual_tours": virtual_tours(catalogue, key, lang),
            **(extra or {}),
        },
    )


@router.get("/", response_class=HTMLResponse)
def home_page(
    request: Request,
    store: StoreDep,
    lang: LanguageDep,
    pages: MapPagesDep,
    ask: Annotated[str | None, Query(description="Open the chat about this site")] = None,
) -> HTMLResponse:
    """The guide's front page: the chat, the map and every site."""
    sites = sorted(store.catalogue().sites.values(), key=lambda site: site.name(lang))
    by_province = {
        former: [{"key": s.key, "name": s.name(lang)} for s in sites if s.province.former == former]
        for former in ("Bình Định", "Ninh Thuận")
    }
    tours = [{"key": tour.key, "name": tour.name(lang)} for tour in pages.tours]
    return render_page(
        request,
        "home.html",
        lang,
        {
            "by_province": by_province,
            "tours": tours,
            "ask": ask or "",
            "here_panel": here_panel(lang),
        },
    )
