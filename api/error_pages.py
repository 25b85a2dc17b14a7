"""The refusals a tourist's browser shows as a page: a wrong address, an unknown language.

The page is in the visitor's language, says what went wrong in plain words and offers a way
on: the sites whose names are closest to a mistyped key, the languages the guide speaks,
the home page, the map and the list of sites. ``api.errors`` decides when to answer with it.
"""

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from rapidfuzz import fuzz, process

from api.deps import LANGUAGE_COOKIE, get_services
from api.language import choose_language
from api.security_headers import STAFF_PATH
from api.static_assets import asset_url
from api.ui import NATIVE_NAMES, UiText
from sites_data.languages import LANGUAGE_CODES
from sites_data.store import Catalogue

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["asset_url"] = asset_url

SUGGESTIONS = 3
# How alike a mistyped key and a site's key must be to offer the site (rapidfuzz, 0–100).
KEY_LIKENESS = 75.0
# A language code is short; anything longer is cut before it is shown back.
SHOWN_CODE_LENGTH = 12
# The same address answers a page to browsers and JSON to programs, in several languages.
VARY = "Accept, Accept-Language, Cookie"


def is_public_page(request: Request) -> bool:
    """A tourist's address: neither the JSON API nor the staff pages."""
    path = request.url.path
    return not path.startswith("/api/") and not STAFF_PATH.match(path)


def prefers_html(request: Request) -> bool:
    """Whether the client prefers a page to JSON (a browser navigating, not a program)."""
    html = json = 0.0
    for part in request.headers.get("accept", "").split(","):
        media_type, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media_type = media_type.strip().lower()
        if media_type in ("text/html", "application/xhtml+xml"):
            html = max(html, quality)
        elif media_type == "application/json":
            json = max(json, quality)
    return html > json


def visitor_language(request: Request) -> str:
    """The language the pages would choose, with an unsupported ``?lang=`` left out."""
    asked = request.query_params.get("lang", "").strip().lower()
    return choose_language(
        asked if asked in LANGUAGE_CODES else None,
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )


def not_found_page(request: Request) -> HTMLResponse:
    """404: no site has the key of ``/s/{key}``, or nothing is at the address."""
    lang = visitor_language(request)
    t = UiText(lang)
    tour = asked_tour(request)
    if tour is not None:
        return _page(
            request,
            lang,
            404,
            t("error_not_found_title"),
            t("error_unknown_tour", key=tour[:80]),
            tours=tour_choices(request, lang),
        )
    key = request.path_params.get("key") if request.url.path.startswith("/s/") else None
    if key is None:
        return _page(request, lang, 404, t("error_not_found_title"), t("error_unknown_page"))
    catalogue = get_services(request).store.catalogue()
    return _page(
        request,
        lang,
        404,
        t("error_not_found_title"),
        t("error_unknown_site", key=str(key)[:80]),
        closest=[
            {"key": site_key, "name": catalogue.sites[site_key].name(lang)}
            for site_key in closest_sites(catalogue, str(key))
        ],
    )


def asked_tour(request: Request) -> str | None:
    """The tour key a tour's page (``/tours/{key}``) or a screen (``/screen?tour=``) names."""
    if request.url.path.startswith("/tours/"):
        return str(request.path_params.get("key", ""))
    if request.url.path == "/screen":
        return request.query_params.get("tour")
    return None


def tour_choices(request: Request, lang: str) -> list[dict[str, str]]:
    """Each tour, as the same kind of page: its screen from a screen, else its page."""
    tours = get_services(request).map_pages.tours
    if request.url.path == "/screen":
        return [
            {"name": tour.name(lang), "url": f"/screen?lang={lang}&tour={tour.key}"}
            for tour in tours
        ]
    return [{"name": tour.name(lang), "url": f"/tours/{tour.key}?lang={lang}"} for tour in tours]


def unsupported_language_page(request: Request, code: str) -> HTMLResponse:
    """422: ``?lang=`` names a language the guide does not speak; each of its languages is
    offered for the same address."""
    lang = visitor_language(request)
    t = UiText(lang)
    choices = [
        {"code": choice, "name": native, "url": _with_language(request, choice)}
        for choice, native in NATIVE_NAMES.items()
    ]
    message = t("error_unsupported_language", code=code[:SHOWN_CODE_LENGTH])
    return _page(request, lang, 422, t("error_language_title"), message, choices=choices)


def closest_sites(catalogue: Catalogue, key: str) -> list[str]:
    """The sites a mistyped key most likely meant: by their keys, then by their names."""
    by_key = process.extract(
        key, list(catalogue.sites), scorer=fuzz.ratio, score_cutoff=KEY_LIKENESS, limit=None
    )
    found = [site_key for site_key, _, _ in by_key]
    found.extend(site.key for site, _ in catalogue.search(key.replace("-", " "), SUGGESTIONS))
    return list(dict.fromkeys(found))[:SUGGESTIONS]


def _with_language(request: Request, lang: str) -> str:
    url = request.url.include_query_params(lang=lang)
    return f"{url.path}?{url.query}"


def _page(
    request: Request,
    lang: str,
    status: int,
    title: str,
    message: str,
    closest: list[dict[str, str]] | None = None,
    choices: list[dict[str, str]] | None = None,
    tours: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    response = templates.TemplateResponse(
        request,
        "error.html",
        {
            "lang": lang,
            "t": UiText(lang),
            "languages": NATIVE_NAMES,
            "title": title,
            "message": message,
            "closest": closest or [],
            "choices": choices or [],
            "tours": tours or [],
        },
        status_code=status,
    )
    response.headers["Vary"] = VARY
    return response
