"""The page of each curated tour: its stops, the map, the screen, and "download this tour"."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import LanguageDep, MapPagesDep, StoreDep
from api.models import in_language
from api.offline_pack import pack_cache_name
from api.routes.offline import find_tour
from api.routes.pages import render_page

router = APIRouter(include_in_schema=False)


@router.get("/tours/{key}", response_class=HTMLResponse)
def tour_page(
    key: str, request: Request, lang: LanguageDep, store: StoreDep, pages: MapPagesDep
) -> HTMLResponse:
    """A tour's stops in visiting order, each with its short description, and the offline pack."""
    tour = find_tour(pages.tours, key)
    sites = store.catalogue().sites
    stops = [
        {
            "key": stop,
            "name": sites[stop].name(lang),
            "description": in_language(sites[stop].description, lang),
        }
        for stop in tour.stops
        if stop in sites
    ]
    return render_page(
        request,
        "tour.html",
        lang,
        {
            "tour_key": tour.key,
            "name": tour.name(lang),
            "description": in_language(tour.description, lang),
            "stops": stops,
            "pack_url": f"/api/tours/{tour.key}/offline?lang={lang}",
            "pack_cache": pack_cache_name(tour.key, lang),
        },
    )
