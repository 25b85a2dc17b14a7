"""The digital map of every site, with the curated tours."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import LanguageDep, get_services
from api.language import UnsupportedPathLanguage
from api.public_cache import per_visitor
from sites_data.languages import LANGUAGE_CODES

router = APIRouter(include_in_schema=False)


@router.get("/map")
def map_address(request: Request, lang: LanguageDep) -> Response:
    """On to the map in the visitor's language, keeping the site to show (``?site=``)."""
    site = request.query_params.get("site")
    query = "?" + urlencode({"site": site}) if site else ""
    return per_visitor(RedirectResponse(f"/map/{lang}{query}", status_code=302))


@router.get("/map/{lang}", response_class=HTMLResponse)
async def map_page(lang: str, request: Request) -> Response:
    """Every site by category, the tours, "where am I?", full screen and search by name. The same
    page for everyone: ``?site=`` is read by its script."""
    if lang not in LANGUAGE_CODES:
        raise UnsupportedPathLanguage(lang)
    services = get_services(request)  # no dependencies: see api.public_cache.PublicAnswers

    def render() -> Response:
        return HTMLResponse(services.map_pages.page(services.store.catalogue(), lang))

    return await services.public_answers.respond(request, render, key=request.url.path)
