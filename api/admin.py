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


async def _upload_refused(
    request: Request, status_code: int, key: str, **values: object
) -> Response:
    return await refused(request, StaffRefused(status_code, key, **values))


class OversizedUploads:
    """An upload is refused by its announced size, before any of it is received.

    A plain ASGI middleware: every other request passes through untouched, at no cost."""

    def __init__(self, app: ASGIApp, max_mb: float) -> None:
        self.app = app
        self.max_mb = max_mb
        self.limit = int(max_mb * 1_000_000) + FORM_OVERHEAD_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_upload = scope["type"] == "http" and scope["method"] == "POST"
        if is_upload and "/recordings" in scope["path"]:
            request = Request(scope, receive)
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                response = await _upload_refused(request, 411, "recording_without_length")
                await response(scope, receive, send)
                return
            if int(length) > self.limit:
                response = await _upload_refused(
                    request,
                    413,
                    "recording_too_large_announced",
                    megabytes=f"{self.max_mb:g}",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(OversizedUploads, max_mb=settings.recording_max_mb)
    app.include_router(admin_api.router)
    app.include_router(admin_pages.router)
