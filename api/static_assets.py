"""The guide's static files under URLs that carry a hash of their content.

Pages link ``asset_url("guide.css")``, which is ``/static/guide.<hash>.css``: a URL whose
bytes never change, kept by browsers and caches for a year (``immutable``); a new version of
the file is a new URL. The plain name (``/static/guide.css``, and the map's vendored files)
is served too, kept for an hour. nginx, written by ``guide deploy nginx``, serves both from
the same folder by the same rule (``FINGERPRINTED`` below).
"""

import hashlib
import re
from functools import cache
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).with_name("static")
IMMUTABLE = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=3600"
HASH_LENGTH = 12
# name.<12 hex>.ext -> name.ext
FINGERPRINTED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.\w+)$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


@cache
def _file_hash(name: str) -> str:
    return content_hash((STATIC_DIR / name).read_bytes())


def asset_url(name: str) -> str:
    """The fingerprinted URL of a file of the static folder, e.g. ``guide.css``."""
    stem, dot, ext = name.rpartition(".")
    return f"/static/{stem}.{_file_hash(name)}{dot}{ext}"


class StaticAssets(StaticFiles):
    """The static folder, where ``name.<hash>.ext`` is ``name.ext`` while the hash is its own."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR)

    async def get_response(self, path: str, scope: Scope) -> Response:
        found = FINGERPRINTED.match(path)
        if found is None:
            response = await super().get_response(path, scope)
            cache_control = UNVERSIONED
        else:
            name = found["stem"] + found["ext"]
            # A hash of an older version is not found: that URL promised other bytes.
            inside = ".." not in Path(name).parts and (STATIC_DIR / name).is_file()
            if not inside or _file_hash(name) != found["hash"]:
                return await super().get_response(path, scope)  # the 404
            response = await super().get_response(name, scope)
            cache_control = IMMUTABLE
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache_control
        return response
