"""The staff side plugged into the application: its services, routes and refusals."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.routes import admin_api, admin_pages
from api.settings import Settings
from api.staff.auth import StaffRefused, StaffServices
from api.staff.rendering import login_url, refusal_page
from sites_data.db import make_engine


def _refused(request: Request, error: Exception) -> Response:
    """JSON for the API; for the pages a redirect to the sign-in page, or a page saying why."""
    if not isinstance(error, StaffRefused):
        raise error
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": error.message}, error.status_code, error.headers)
    if error.status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_url(target), status_code=303)
    return refusal_page(request, error)


def install(app: FastAPI, settings: Settings) -> None:
    app.state.staff = StaffServices.open(make_engine(settings.database_url), settings)
    app.add_exception_handler(StaffRefused, _refused)
    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
