"""The staff side plugged into the application: its routes and the limit on uploads."""

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

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


class OversizedUploads:
    """An upload (a recording, a photo) is refused by its announced size, before any of it
    is received.

    A plain ASGI middleware: every other request passes through untouched, at no cost."""

    def __init__(self, app: ASGIApp, limits: tuple[tuple[str, float, str], ...]) -> None:
        """``limits``: per kind of upload, the part of the path, the most megabytes and the
        prefix of its messages."""
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"]
            for part, megabytes, kind in self.limits:
                if part in path and path.startswith(ADMIN_PATHS):
                    response = await self._refusal(Request(scope, receive), megabytes, kind)
                    if response is not None:
                        await response(scope, receive, send)
                        return
        await self.app(scope, receive, send)

    @staticmethod
    async def _refusal(request: Request, megabytes: float, kind: str) -> Response | None:
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            return await _upload_refused(request, 411, f"{kind}_without_length")
        if int(length) > int(megabytes * 1_000_000) + FORM_OVERHEAD_BYTES:
            return await _upload_refused(
                request, 413, f"{kind}_too_large_announced", megabytes=f"{megabytes:g}"
            )
        return None


def install(app: FastAPI, settings: Settings) -> None:
    limits = (
        ("/recordings", settings.recording_max_mb, "recording"),
        ("/photos", settings.photo_max_mb, "photo"),
    )
    app.add_middleware(OversizedUploads, limits=limits)
    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
