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
ADMIN_PATHS = ("/admin/", "/api/admin/")


async def _upload_refused(
    request: Request, status_code: int, key: str, **values: object
) -> Response:
    return await refused(request, StaffRefused(status_code, key, **values))


def install(app: FastAPI, settings: Settings) -> None:
    # Per kind of upload: the part of the path, the most megabytes, the messages' prefix.
    uploads = (
        ("/recordings", settings.recording_max_mb, "recording"),
        ("/photos", settings.photo_max_mb, "photo"),
    )

    @app.middleware("http")
    async def refuse_oversized_uploads(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """An upload is refused by its announced size, before any of it is received."""
        path = request.url.path
        for part, megabytes, kind in uploads:
            if request.method != "POST" or part not in path or not path.startswith(ADMIN_PATHS):
                continue
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return await _upload_refused(request, 411, f"{kind}_without_length")
            if int(length) > int(megabytes * 1_000_000) + FORM_OVERHEAD_BYTES:
                return await _upload_refused(
                    request, 413, f"{kind}_too_large_announced", megabytes=f"{megabytes:g}"
                )
        return await call_next(request)

    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
