"""The public site API: list, detail and search."""

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from api.deps import LanguageDep, PublicAnswersDep, StoreDep, public_site
from api.input_checks import invalid_input, optional_text
from api.models import SearchHitPublic, SitePublic, SiteSummary, public, summary
from api.public_cache import per_visitor
from api.refusals import refusals
from sites_data.schema import Category, Site

router = APIRouter(prefix="/api", tags=["sites"])

DEFAULT_RADIUS_KM = 10.0
# Decimal degrees, latitude in [-90, 90] and longitude in [-180, 180]; the schema shows it.
_LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
_LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
POINT = re.compile(f"^({_LATITUDE}),({_LONGITUDE})$")


def _parse_point(near: str) -> tuple[float, float]:
    found = POINT.fullmatch(near)
    if found is None:
        raise invalid_input(
            (
                ("query", "near"),
                f"{near[:40]!r} is not a point; write 'lat,lon' in decimal degrees, "
                "latitude -90 to 90 and longitude -180 to 180, e.g. 13.78,109.21",
            )
        )
    return float(found[1]), float(found[2])


@router.get("/sites")
def list_sites(
    store: StoreDep,
    lang: LanguageDep,
    category: Category | None = None,
    near: Annotated[
        str | None,
        Query(
            description="A point 'lat,lon'; sorts by distance",
            json_schema_extra=optional_text(pattern=POINT.pattern),
        ),
    ] = None,
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


@router.get("/sites/{key}", responses=refusals(404), response_model=SitePublic)
async def get_site(
    key: str, request: Request, store: StoreDep, lang: LanguageDep, answers: PublicAnswersDep
) -> Response:
    """One site in the chosen language; missing text falls back to English, then Vietnamese.
    With ``?lang=`` the answer is the same for everyone, and shared caches may keep it."""

    def render() -> Response:
        catalogue = store.catalogue()
        site = public_site(catalogue, key)
        related_names = {
            related: catalogue.sites[related].name(lang)
            for related in site.related
            if related in catalogue.sites
        }
        return JSONResponse(jsonable_encoder(public(site, lang, related_names)))

    if request.query_params.get("lang"):
        return await answers.respond(request, render)
    return per_visitor(await run_in_threadpool(render))


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
