"""The public site API: list, detail and search."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import LanguageDep, StoreDep, public_site
from api.models import SearchHitPublic, SitePublic, SiteSummary, public, summary
from sites_data.schema import Category, Site

router = APIRouter(prefix="/api", tags=["sites"])

DEFAULT_RADIUS_KM = 10.0


def _parse_point(near: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = near.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise HTTPException(
            status_code=422, detail=f"near={near!r}: write it as 'lat,lon', e.g. 13.78,109.21"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise HTTPException(status_code=422, detail=f"near={near!r}: lat or lon out of range")
    return lat, lon


@router.get("/sites")
def list_sites(
    store: StoreDep,
    lang: LanguageDep,
    category: Category | None = None,
    near: Annotated[str | None, Query(description="A point 'lat,lon'; sorts by distance")] = None,
    radius_km: Annotated[float, Query(gt=0, le=500, description="With near")] = DEFAULT_RADIUS_KM,
) -> list[SiteSummary]:
    """Every public site, optionally of one category and within ``radius_km`` of ``near``."""
    catalogue = store.catalogue()
    pairs: list[tuple[Site, float | None]]
    if near is None:
        pairs = [(site, None) for _, site in sorted(catalogue.sites.items())]
    else:
        lat, lon = _parse_point(near)
        pairs = list(catalogue.nearby(lat, lon, radius_km))
    return [
        summary(site, lang, distance)
        for site, distance in pairs
        if category is None or site.category == category
    ]


@router.get("/sites/{key}")
def get_site(key: str, store: StoreDep, lang: LanguageDep) -> SitePublic:
    """One site in the chosen language; missing text falls back to English, then Vietnamese."""
    catalogue = store.catalogue()
    site = public_site(catalogue, key)
    related_names = {
        related: catalogue.sites[related].name(lang)
        for related in site.related
        if related in catalogue.sites
    }
    return public(site, lang, related_names)


@router.get("/search")
def search(
    store: StoreDep,
    lang: LanguageDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Any name, any language")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SearchHitPublic]:
    """Sites whose names match ``q``, best first; typos and missing diacritics are fine."""
    return [
        SearchHitPublic(key=site.key, name=site.name(lang), matched=hit.matched, score=hit.score)
        for site, hit in store.catalogue().search(q, limit)
    ]
