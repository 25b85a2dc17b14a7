"""QR codes that open a site's page, and the printable poster that carries one."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import PosterCacheDep, SettingsDep, StoreDep, public_site
from api.qr import DEFAULT_PNG_SCALE, PosterFontMissing, qr_png, qr_svg, qr_url
from api.refusals import refusals

router = APIRouter(prefix="/qr", tags=["qr"])

# A code depends only on the site key and the public address, which change rarely.
QR_CACHE_CONTROL = "public, max-age=86400"
# A poster also shows the site's names, which staff may correct.
POSTER_CACHE_CONTROL = "public, max-age=3600"


def _content(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}}, **refusals(404)}


@router.get("/{key}.svg", response_class=Response, responses=_content("image/svg+xml"))
def qr_code_svg(key: str, store: StoreDep, settings: SettingsDep) -> Response:
    """The site's QR code as SVG (error correction Q, 4-module quiet zone)."""
    site = public_site(store.catalogue(), key)
    return Response(
        qr_svg(qr_url(settings.public_base_url, site.key)),
        media_type="image/svg+xml",
        headers={"Cache-Control": QR_CACHE_CONTROL},
    )


@router.get("/{key}.png", response_class=Response, responses=_content("image/png"))
def qr_code_png(
    key: str,
    store: StoreDep,
    settings: SettingsDep,
    scale: Annotated[int, Query(ge=1, le=50, description="Pixels per module")] = DEFAULT_PNG_SCALE,
) -> Response:
    """The site's QR code as PNG (error correction Q, 4-module quiet zone)."""
    site = public_site(store.catalogue(), key)
    return Response(
        qr_png(qr_url(settings.public_base_url, site.key), scale),
        media_type="image/png",
        headers={"Cache-Control": QR_CACHE_CONTROL},
    )


@router.get("/{key}/poster.pdf", response_class=Response, responses=_content("application/pdf"))
async def poster(
    key: str, request: Request, store: StoreDep, settings: SettingsDep, posters: PosterCacheDep
) -> Response:
    """An A4 poster to print: the site's names, its QR code and "scan to listen" in 8 languages."""
    site = public_site(await run_in_threadpool(store.catalogue), key)
    try:
        made = await posters.poster(site, qr_url(settings.public_base_url, site.key))
    except PosterFontMissing as error:
        raise HTTPException(status_code=500, detail=str(error)) from None
    etag = f'"{made.digest}"'
    headers = {"Cache-Control": POSTER_CACHE_CONTROL, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{site.key}-poster.pdf"'
    return Response(made.pdf, media_type="application/pdf", headers=headers)
