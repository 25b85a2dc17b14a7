"""The FastAPI application."""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import admin
from api.input_checks import InputChecks, validation_failed
from api.play_limits import PlayLimiter
from api.poster_cache import PosterCache
from api.routes import chat, health, map, pages, plays, qr, sites
from api.routes import narration as narration_routes
from api.security_headers import SecurityHeaders
from api.settings import Settings
from maps.pages import MapPages
from maps.tours import read_tours
from narration.service import Narration
from sites_data.activity import ActivityLog
from sites_data.db import make_engine
from sites_data.language_detection import warm_up as warm_up_language_detection
from sites_data.store import SiteStore

STATIC_DIR = Path(__file__).with_name("static")


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The chat's language models load in the background, not on the first message.
        threading.Thread(target=warm_up_language_detection, daemon=True).start()
        async with httpx.AsyncClient() as client:
            app.state.http = client
            yield

    app = FastAPI(
        title="Heritage Guide",
        description="Heritage sites of the former Bình Định and Ninh Thuận provinces, "
        "in eight languages.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = SiteStore(make_engine(settings.database_url))
    app.state.map_pages = MapPages(read_tours())
    app.state.posters = PosterCache(Path(settings.cache_dir))
    narration_db = make_engine(settings.database_url)
    # One narration per application: the public audio routes and the staff pages share it.
    app.state.narration = Narration.load(settings)
    app.state.audio_library = app.state.narration.library
    app.state.narration_plays = ActivityLog(narration_db)
    app.state.health_engine = narration_db
    app.state.play_limiter = PlayLimiter()
    # The widget is embedded on other sites' pages: its API calls come from any origin.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    app.include_router(health.router)
    app.include_router(sites.router)
    app.include_router(chat.router)
    app.include_router(pages.router)
    app.include_router(qr.router)
    app.include_router(map.router)
    admin.install(app, settings)
    app.include_router(narration_routes.router)
    app.include_router(plays.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_middleware(InputChecks)
    # Outermost, so that every answer carries the headers, refusals included.
    app.add_middleware(SecurityHeaders)
    return app
