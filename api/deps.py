"""Typed dependencies shared by the routes: every alias in one place.

``current_staff`` refuses a request without a live staff session, and checks the CSRF token
of every request that can change something (anything but GET, HEAD and OPTIONS), so no
state-changing route can forget it.
"""

import hmac
from typing import Annotated

import aiohttp
from fastapi import Cookie, Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.input_checks import optional_text
from api.language import UnsupportedPageLanguage, choose_language
from api.play_limits import PlayLimiter
from api.poster_cache import PosterCache
from api.public_cache import PublicAnswers
from api.services import Services
from api.settings import Settings
from api.staff.audit import Actor
from api.staff.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    StaffRefused,
    client_address,
)
from api.staff.sessions import Staff
from maps.pages import MapPages
from narration.library import AudioLibrary
from narration.service import Narration
from sites_data.activity import ActivityLog
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage
from sites_data.schema import Site
from sites_data.store import Catalogue, SiteStore

LANGUAGE_COOKIE = "guide_lang"
# The supported codes, for the schema; ``?lang=EN`` is forgiven too.
LANGUAGE_CODE = {"enum": list(LANGUAGE_CODES)}


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


# The dependencies below only look up an attribute, so they are coroutines: FastAPI runs a
# plain function dependency in its thread pool, a hand-over to another thread and back for
# each one of every request.
async def _services(request: Request) -> Services:
    return get_services(request)


ServicesDep = Annotated[Services, Depends(_services)]


async def get_store(services: ServicesDep) -> SiteStore:
    return services.store


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_narration(services: ServicesDep) -> Narration:
    return services.narration


async def get_audio_library(services: ServicesDep) -> AudioLibrary:
    return services.narration.library


async def get_activity(services: ServicesDep) -> ActivityLog:
    return services.activity


async def get_map_pages(services: ServicesDep) -> MapPages:
    return services.map_pages


async def get_posters(services: ServicesDep) -> PosterCache:
    return services.posters


async def get_play_limiter(services: ServicesDep) -> PlayLimiter:
    return services.play_limiter


async def get_public_answers(services: ServicesDep) -> PublicAnswers:
    return services.public_answers


async def get_http(request: Request) -> aiohttp.ClientSession:
    """The process's HTTP client (to the assistant), opened by the application's lifespan."""
    client: aiohttp.ClientSession = request.app.state.http
    return client


async def get_language(
    lang: Annotated[
        str | None,
        Query(
            description="Language code: vi en zh ko ja fr ru de",
            json_schema_extra=optional_text(**LANGUAGE_CODE),
        ),
    ] = None,
    saved: Annotated[str | None, Cookie(alias=LANGUAGE_COOKIE, include_in_schema=False)] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    try:
        return choose_language(lang, saved, accept_language)
    except UnsupportedLanguage as error:
        # Answered by api.errors: a 422 naming the field, or a page in the visitor's language.
        raise UnsupportedPageLanguage(error.code) from None


async def posted_form(request: Request) -> FormData:
    return await request.form()


async def _sent_csrf_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def current_staff(request: Request, services: ServicesDep) -> Staff:
    """The signed-in staff member; for a state-changing request, also a valid CSRF token."""
    token = request.cookies.get(SESSION_COOKIE)
    staff = await run_in_threadpool(services.sessions.find, token) if token else None
    if staff is None:
        raise StaffRefused(401, "refused_sign_in_first")
    if request.method not in SAFE_METHODS:
        sent = await _sent_csrf_token(request)
        if not hmac.compare_digest(sent.encode(), staff.csrf_token.encode()):
            raise StaffRefused(403, "refused_csrf")
    return staff


async def admin_staff(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    if not staff.is_admin:
        raise StaffRefused(403, "refused_admins_only")
    return staff


async def staff_actor(request: Request, staff: Annotated[Staff, Depends(current_staff)]) -> Actor:
    """The signed-in staff member as the audit log records them: with their address."""
    return Actor(staff.username, client_address(request))


async def admin_actor(request: Request, admin: Annotated[Staff, Depends(admin_staff)]) -> Actor:
    return Actor(admin.username, client_address(request))


def public_site(catalogue: Catalogue, key: str) -> Site:
    """The public site with this key, or a 404 that says where to find the keys."""
    site = catalogue.sites.get(key)
    if site is None:
        raise HTTPException(status_code=404, detail=f"no site has the key {key!r}; see /api/sites")
    return site


StoreDep = Annotated[SiteStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LanguageDep = Annotated[str, Depends(get_language)]
NarrationDep = Annotated[Narration, Depends(get_narration)]
AudioLibraryDep = Annotated[AudioLibrary, Depends(get_audio_library)]
ActivityDep = Annotated[ActivityLog, Depends(get_activity)]
MapPagesDep = Annotated[MapPages, Depends(get_map_pages)]
HttpDep = Annotated[aiohttp.ClientSession, Depends(get_http)]
PosterCacheDep = Annotated[PosterCache, Depends(get_posters)]
PublicAnswersDep = Annotated[PublicAnswers, Depends(get_public_answers)]
PlayLimiterDep = Annotated[PlayLimiter, Depends(get_play_limiter)]
PostedForm = Annotated[FormData, Depends(posted_form)]
CurrentStaff = Annotated[Staff, Depends(current_staff)]
AdminStaff = Annotated[Staff, Depends(admin_staff)]
StaffActor = Annotated[Actor, Depends(staff_actor)]
AdminActor = Annotated[Actor, Depends(admin_actor)]
