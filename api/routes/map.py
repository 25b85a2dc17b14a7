"""The digital map of every site, with the curated tours."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import LanguageDep, MapPagesDep, StoreDep

router = APIRouter(include_in_schema=False)


@router.get("/map", response_class=HTMLResponse)
def map_page(store: StoreDep, pages: MapPagesDep, lang: LanguageDep) -> HTMLResponse:
    """Every site by category, the tours, "where am I?", full screen and search by name."""
    return HTMLResponse(pages.page(store.catalogue(), lang))
