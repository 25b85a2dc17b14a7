"""The staff side plugged into the application: its services, routes and refusals."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.routes import admin_api, admin_pages
from api.settings import Settings
from api.staff.auth import StaffRefused, StaffServices
from api.staff.rendering import login_url, refusal_page
from sites_data.db import make_engine

# Room for the multipart envelope and the form's other fields around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024


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


def _upload_refused(request: Request, status_code: int, key: str, **values: object) -> Response:
    return _refused(request, StaffRefused(status_code, key, **values))


def install(app: FastAPI, settings: Settings) -> None:
    app.state.staff = StaffServices.open(make_engine(settings.database_url), settings)
    # Checked recordings go to the narration (a RecordingLibrary), built by create_app.
    app.state.recordings = app.state.narration
    app.add_exception_handler(StaffRefused, _refused)
    limit = int(settings.recording_max_mb * 1_000_000) + FORM_OVERHEAD_BYTES

    @app.middleware("http")
    async def refuse_oversized_uploads(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """An upload is refused by its announced size, before any of it is received."""
        if request.method == "POST" and "/recordings" in request.url.path:
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return _upload_refused(request, 411, "recording_without_length")
            if int(length) > limit:
                return _upload_refused(
                    request,
                    413,
                    "recording_too_large_announced",
                    megabytes=f"{settings.recording_max_mb:g}",
                )
        return await call_next(request)

    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
