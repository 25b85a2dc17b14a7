"""The digital map of every site, with the curated tours."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import LanguageDep, StoreDep
from maps.pages import MapPages

router = APIRouter(include_in_schema=False)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, store: StoreDep, lang: LanguageDep) -> HTMLResponse:
    """Every site by category, the tours, locate-me, full screen and search by name."""
    pages: MapPages = request.app.state.map_pages
    return HTMLResponse(pages.page(store.catalogue(), lang))
