"""Security headers on every response (OWASP ASVS 4 L1, V14.4).

Every response says ``X-Content-Type-Options: nosniff`` and a ``Referrer-Policy`` that
keeps paths and queries on the guide (the map tiles still learn the guide's origin, as
OpenStreetMap's tile policy asks). Staff responses are never stored by browsers or proxies.
Each HTML page gets a Content-Security-Policy (unless it comes with its own, computed by the
same function, as the pages kept by ``api.public_cache`` do): scripts only from the guide
itself, plus the inline scripts of that very page by their SHA-256 (the map's generated code),
styles from the guide and inline (the map and the widget's shadow root set them), images
from the guide and the map tiles (``GUIDE_MAP_TILE_URL``'s origin; and blob: on the 360°
viewer's pages), no plugins, no framing by other sites.
"""

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAP_TILES = "https://tile.openstreetmap.org"

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
STAFF_PATH = re.compile(r"/(api/)?admin(/|$)")
# The 360° viewer (Pannellum) fetches a panorama and shows it from a blob: URL.
PANORAMA_PATH = re.compile(r"/(s|tours)/[^/]+/360(/|$)")
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE
)


def _hashes(html: bytes) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    ]


def content_security_policy(path: str, html: bytes, tile_origin: str = MAP_TILES) -> str:
    # Staff pages are never shown inside a frame, not even the guide's own (clickjacking).
    framing = "'none'" if STAFF_PATH.match(path) else "'self'"
    scripts = ["'self'", *_hashes(html)]
    styles = ["'self'", "'unsafe-inline'"]
    images = ["'self'", "data:", tile_origin]
    if PANORAMA_PATH.match(path):
        images.append("blob:")
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": styles,
        "img-src": images,
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": [framing],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeaders:
    def __init__(self, app: ASGIApp, tile_origin: str = MAP_TILES) -> None:
        self.app = app
        self.tile_origin = tile_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in EVERY_RESPONSE.items():
                    headers[name] = value
                if STAFF_PATH.match(path):
                    headers["Cache-Control"] = "no-store"
                is_html = headers.get("content-type", "").startswith("text/html")
                if is_html and "content-security-policy" not in headers:
                    start = message  # the policy names the page's scripts: wait for them
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(body)
                headers = MutableHeaders(scope=start)
                headers["Content-Security-Policy"] = content_security_policy(
                    path, html, self.tile_origin
                )
                await send(start)
                message = {"type": "http.response.body", "body": html, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_with_headers)
