"""Screens in buses, tourist vehicles and halls: a full-screen loop of a tour's sites (or of
every site), each with its name, short description and a QR code to its page.

It needs no touch, keeps playing with no signal once loaded (the service worker keeps it),
and where the device knows its position it shows the site the vehicle is approaching.
"""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import LanguageDep, MapPagesDep, SettingsDep, StoreDep
from api.models import in_language
from api.qr import qr_svg_inline, qr_url
from api.routes.offline import find_tour
from api.routes.pages import render_page
from sites_data.schema import Site

router = APIRouter(include_in_schema=False)

SECONDS_PER_SITE = 15


def _slide(site: Site, lang: str, base_url: str) -> dict[str, object]:
    url = qr_url(base_url, site.key)
    return {
        "key": site.key,
        "name": site.name(lang),
        "description": in_language(site.description, lang),
        "lat": site.location.lat,
        "lon": site.location.lon,
        "url": url,
        "qr": qr_svg_inline(url),
    }


@router.get("/screen", response_class=HTMLResponse)
def screen_page(
    request: Request,
    lang: LanguageDep,
    store: StoreDep,
    pages: MapPagesDep,
    settings: SettingsDep,
    tour: Annotated[str | None, Query(description="A tour's key; every site without")] = None,
    seconds: Annotated[int, Query(ge=5, le=300, description="Seconds each site shows")] = (
        SECONDS_PER_SITE
    ),
) -> HTMLResponse:
    """The loop of sites for a screen, in ``lang``."""
    sites = store.catalogue().sites
    if tour is None:
        shown = sorted(sites.values(), key=lambda site: site.name(lang))
        title = None
    else:
        chosen = find_tour(pages.tours, tour)
        shown = [sites[key] for key in chosen.stops if key in sites]
        title = chosen.name(lang)
    if not shown:
        raise HTTPException(status_code=404, detail="there are no sites to show")
    return render_page(
        request,
        "screen.html",
        lang,
        {
            "tour_name": title,
            "slides": [_slide(site, lang, settings.public_base_url) for site in shown],
            "seconds": seconds,
            "cache": f"screen-{tour or 'all'}-{lang}",
        },
    )
