"""The FastAPI application."""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.middleware.gzip import GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import admin, errors
from api.input_checks import InputChecks, validation_failed
from api.routes import (
    chat,
    docs,
    health,
    here,
    map,
    offline,
    open_data,
    pages,
    photos,
    plays,
    qr,
    screen,
    sites,
    tours,
)
from api.routes import narration as narration_routes
from api.security_headers import SecurityHeaders
from api.services import Services
from api.settings import Settings, get_settings
from api.static_assets import StaticAssets
from api.widget_cors import WidgetCors
from sites_data.language_detection import warm_up as warm_up_language_detection


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The chat's language models load in the background, not on the first message.
        threading.Thread(target=warm_up_language_detection, daemon=True).start()
        # aiohttp rather than httpx: a sixth of the CPU time httpx took per message.
        async with aiohttp.ClientSession() as client:
            app.state.http = client
            yield
        app.state.services.database.dispose()

    app = FastAPI(
        title="Heritage Guide",
        description="Heritage sites of the former Bình Định and Ninh Thuận provinces, "
        "in eight languages.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by api.routes.docs, without a CDN
        redoc_url=None,
    )
    app.state.services = Services.open(settings)
    # The widget is embedded on other sites' pages: its API calls come from any origin.
    app.add_middleware(WidgetCors)
    app.include_router(health.router)
    app.include_router(docs.router)
    app.include_router(sites.router)
    app.include_router(open_data.router)
    app.include_router(chat.router)
    app.include_router(pages.router)
    app.include_router(qr.router)
    app.include_router(map.router)
    app.include_router(here.router)
    app.include_router(offline.router)
    app.include_router(tours.router)
    app.include_router(screen.router)
    admin.install(app, settings)
    errors.install(app)
    app.include_router(narration_routes.router)
    app.include_router(plays.router)
    app.include_router(photos.router)
    app.mount("/static", StaticAssets(), name="static")
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_middleware(InputChecks)
    # The visitor's address and scheme come from X-Forwarded-* only through a trusted proxy;
    # anyone else could name any address and slip past the per-address sign-in limit.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    # Outside the gzip, so that it reads the page's scripts; every answer, refusals included.
    app.add_middleware(SecurityHeaders, tile_origin=settings.map_tile_origin)
    # Text only (the audio is already compressed); the kept public pages come gzipped already.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    return app


def app_from_settings() -> FastAPI:
    """The application from this process's settings: what each ``guide serve`` worker runs."""
    return create_app(get_settings())
