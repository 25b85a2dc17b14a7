"""The guide as an installable web app: its manifest, icons and service worker, and the
offline pack of each tour (what the service worker keeps for use with no signal)."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParameter
from fastapi.responses import FileResponse, JSONResponse, Response

from api.app_icon import SIZES, app_icon_png
from api.deps import AudioLibraryDep, LanguageDep, MapPagesDep, SettingsDep, StoreDep
from api.language import accepted_languages
from api.offline_pack import TourPack, tour_pack
from api.refusals import refusals
from api.routes.narration import audio_url
from api.routes.pages import audio_to_offer
from api.ui import UiText
from maps.tours import Tour

router = APIRouter()

SERVICE_WORKER = Path(__file__).parents[1] / "static" / "sw.js"
THEME_COLOUR = "#8a3b12"
BACKGROUND_COLOUR = "#fbf8f3"


def find_tour(tours: list[Tour], key: str) -> Tour:
    """The tour with ``key``; a 404 naming it otherwise."""
    for tour in tours:
        if tour.key == key:
            return tour
    raise HTTPException(status_code=404, detail=f"there is no tour {key!r}")


@router.get("/manifest.webmanifest", include_in_schema=False)
def web_app_manifest(lang: LanguageDep) -> Response:
    """What a phone needs to install the guide on its home screen, in the visitor's language."""
    t = UiText(lang)
    icons = [
        {"src": f"/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in SIZES
    ]
    icons.append(
        {
            "src": "/icons/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    manifest = {
        "id": "/",
        "name": t("guide_title"),
        "short_name": t("guide_short_title"),
        "description": t("guide_description"),
        "lang": lang,
        "start_url": f"/?lang={lang}",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return JSONResponse(manifest, media_type="application/manifest+json")


@router.get("/icons/icon-{size}.png", include_in_schema=False)
def app_icon(size: int) -> Response:
    if size not in SIZES:
        raise HTTPException(status_code=404, detail=f"the icon comes in {SIZES} pixels")
    return Response(app_icon_png(size), media_type="image/png")


@router.get("/icons/maskable-512.png", include_in_schema=False)
def maskable_app_icon() -> Response:
    return Response(app_icon_png(512, maskable=True), media_type="image/png")


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> FileResponse:
    """Served from the root, so that it may control every page of the guide; browsers check it
    for a new version on each visit (no-cache), as a service worker must be."""
    return FileResponse(
        SERVICE_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


@router.get("/api/tours/{key}/offline", responses=refusals(404))
def offline_pack(
    key: Annotated[str, PathParameter(description="The tour's key (maps/tours.yaml)")],
    request: Request,
    lang: LanguageDep,
    store: StoreDep,
    library: AudioLibraryDep,
    pages: MapPagesDep,
    settings: SettingsDep,
) -> dict[str, object]:
    """What a phone keeps to follow a tour with no signal: the tour's pages in ``lang``, the
    narration each stop's page offers (Opus), the files the pages load, and the map tiles of
    the tour's area at a few zoom levels. ``revision`` changes when any of them changes."""
    tour = find_tour(pages.tours, key)
    catalogue = store.catalogue()
    audio = {}
    accepted = accepted_languages(request.headers.get("accept-language"))
    for stop in tour.stops:
        version = audio_to_offer(library, stop, lang, accepted)
        if stop in catalogue.sites and version is not None:
            audio[stop] = audio_url(version, "opus")
    pack: TourPack = tour_pack(tour, lang, catalogue.sites, audio, settings.map_tile_url)
    return pack.as_json()
