""" "You are here": which site a visitor stands at, or the nearest ones, and a tour's next stop.

The pages ask with the visitor's position only after they pressed "Where am I?" and their
browser allowed it; the position answers this one request and is neither logged nor kept.
"""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import LanguageDep, MapPagesDep, StoreDep
from api.refusals import refusals
from maps.here import whereabouts

router = APIRouter(prefix="/api", tags=["sites"])


@router.get("/here", responses=refusals(404))
def here(
    store: StoreDep,
    pages: MapPagesDep,
    lang: LanguageDep,
    lat: Annotated[float, Query(ge=-90, le=90, description="The visitor's latitude")],
    lon: Annotated[float, Query(ge=-180, le=180, description="The visitor's longitude")],
    tour: Annotated[
        str | None, Query(max_length=80, description="A tour's key: adds its next stop")
    ] = None,
) -> dict[str, Any]:
    """The site whose area holds the position (``at``, or null), the nearest other sites
    with distance and compass direction (``nearest``), each sentence in the chosen language
    (``text``, ``where``), and with ``tour`` its stops and the next one (``tour.next``)."""
    chosen = None
    if tour is not None:
        chosen = next((known for known in pages.tours if known.key == tour), None)
        if chosen is None:
            keys = ", ".join(known.key for known in pages.tours)
            raise HTTPException(404, detail=f"no tour has the key {tour!r}; the tours are {keys}")
    sites = list(store.catalogue().sites.values())
    return whereabouts(sites, lat, lon, lang, chosen)
