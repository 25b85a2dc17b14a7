"""The photo files visitors see (every size in WebP and JPEG, named by its content), and the
360° viewer: a site's panoramas, and a tour's (the virtual tour)."""

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import LanguageDep, ServicesDep, StoreDep, public_site
from api.photo_views import shipped_tours, site_scenes, tour_scenes, tours_in_360
from api.routes.pages import render_page
from api.ui import UiText
from maps.tours import virtual_tour_url
from sites_data.photos import PHOTO_FORMATS

router = APIRouter(include_in_schema=False)

IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
_PHOTO_ID = re.compile(r"[0-9a-f]{32}")
_SIZE_NAME = re.compile(r"[1-9][0-9]{0,4}")


@router.get("/photos/{photo_id}/{name}")
def photo_file(photo_id: str, name: str, request: Request, services: ServicesDep) -> Response:
    """One size of a photo; the address changes when the content does, so it never expires."""
    width, _, fmt = name.partition(".")
    path = services.photos.file_path(photo_id, name)
    if not (
        _PHOTO_ID.fullmatch(photo_id)
        and _SIZE_NAME.fullmatch(width)
        and fmt in PHOTO_FORMATS
        and path.is_file()
    ):
        raise HTTPException(status_code=404, detail=f"no photo {photo_id}/{name}")
    etag = f'"{photo_id}-{name}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=MEDIA_TYPES[fmt], headers=headers)


def _viewer_page(
    request: Request,
    lang: str,
    title: str,
    scenes: list[dict[str, object]],
    first: str,
    extra: dict[str, object],
) -> HTMLResponse:
    t = UiText(lang)
    # Pannellum's own messages, in the page's language.
    messages = {"loadingLabel": t("panorama_loading"), "genericWebGLError": t("panorama_no_webgl")}
    viewer = {"scenes": scenes, "first": first, "strings": messages}
    context = {"title": title, "scenes": scenes, "viewer": viewer, **extra}
    return render_page(request, "panorama.html", lang, context)


@router.get("/s/{key}/360/{photo_id}", response_class=HTMLResponse)
def site_panorama(
    key: str, photo_id: str, request: Request, store: StoreDep, lang: LanguageDep
) -> HTMLResponse:
    """A site's 360° panorama in the viewer, with its other panoramas and its virtual tours."""
    catalogue = store.catalogue()
    site = public_site(catalogue, key)
    if not any(photo.id == photo_id and photo.panorama for photo in site.photos):
        raise HTTPException(status_code=404, detail=f"{key!r} has no 360° photo {photo_id!r}")
    t = UiText(lang)
    tours = [
        {"name": tour.name(lang), "url": virtual_tour_url(tour.key, lang, key)}
        for tour in tours_in_360(catalogue.sites, key)
    ]
    back = {"url": f"/s/{key}?lang={lang}", "name": site.name(lang)}
    title = t("panorama_of", site=site.name(lang))
    scenes = site_scenes(site, lang)
    return _viewer_page(
        request, lang, title, scenes, f"{key}-{photo_id}", {"tours": tours, "back": back}
    )


@router.get("/tours/{tour_key}/360", response_class=HTMLResponse)
def virtual_tour(
    tour_key: str,
    request: Request,
    store: StoreDep,
    lang: LanguageDep,
    start: Annotated[str | None, Query(description="The stop to begin at")] = None,
) -> HTMLResponse:
    """The virtual tour: the first panorama of each stop that has one, in the tour's order,
    each leading to the next."""
    sites = store.catalogue().sites
    tour = next((tour for tour in shipped_tours() if tour.key == tour_key), None)
    scenes = tour_scenes(tour, sites, lang) if tour is not None else []
    if tour is None or not scenes:
        raise HTTPException(status_code=404, detail=f"no virtual tour {tour_key!r}; see /map")
    first = next((scene for scene in scenes if scene["site"] == start), scenes[0])
    in_360 = {scene["site"] for scene in scenes}
    stops = [
        {"name": sites[stop].name(lang), "url": f"/s/{stop}?lang={lang}", "in_360": stop in in_360}
        for stop in tour.stops
        if stop in sites
    ]
    title = UiText(lang)("virtual_tour", tour=tour.name(lang))
    return _viewer_page(request, lang, title, scenes, str(first["id"]), {"stops": stops})
