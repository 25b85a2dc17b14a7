"""The FastAPI application."""

from fastapi import FastAPI

from api.routes import health, sites
from api.settings import Settings
from sites_data.db import make_engine
from sites_data.store import SiteStore


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="Heritage Guide",
        description="Heritage sites of the former Bình Định and Ninh Thuận provinces, "
        "in eight languages.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.store = SiteStore(make_engine(settings.database_url))
    app.include_router(health.router)
    app.include_router(sites.router)
    return app
