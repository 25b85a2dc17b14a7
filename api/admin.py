"""The staff side plugged into the application: its routes and the limit on uploads."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from api.errors import refused
from api.routes import admin_api, admin_pages
from api.settings import Settings
from api.staff.auth import StaffRefused

# Room for the multipart envelope and the form's other fields around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024


async def _upload_refused(
    request: Request, status_code: int, key: str, **values: object
) -> Response:
    return await refused(request, StaffRefused(status_code, key, **values))


def install(app: FastAPI, settings: Settings) -> None:
    limit = int(settings.recording_max_mb * 1_000_000) + FORM_OVERHEAD_BYTES

    @app.middleware("http")
    async def refuse_oversized_uploads(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """An upload is refused by its announced size, before any of it is received."""
        if request.method == "POST" and "/recordings" in request.url.path:
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return await _upload_refused(request, 411, "recording_without_length")
            if int(length) > limit:
                return await _upload_refused(
                    request,
                    413,
                    "recording_too_large_announced",
                    megabytes=f"{settings.recording_max_mb:g}",
                )
        return await call_next(request)

    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
