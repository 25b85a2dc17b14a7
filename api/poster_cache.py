"""Printable posters made once per content and kept on disk, made off the event loop.

A poster takes over a second of CPU to draw. It is kept under the cache folder, named
by the hash of everything it shows (``qr.poster_digest``), so a poster is made once for
each content of its site and a poster of older content is never served for newer
content. Posters are drawn in a worker thread, one at a time: the drawing holds Python's
GIL, so more at once would only share the GIL with the requests they delay.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import anyio
from anyio import to_thread

from api.qr import poster_digest, poster_pdf, poster_photo
from sites_data.schema import Site

POSTERS_AT_ONCE = 1


@dataclass(frozen=True)
class Poster:
    pdf: bytes
    digest: str


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class PosterCache:
    def __init__(
        self, folder: Path, photos_folder: Path | None = None, at_once: int = POSTERS_AT_ONCE
    ) -> None:
        self._folder = folder / "posters"
        self._photos_folder = photos_folder
        self._drawing = anyio.CapacityLimiter(at_once)

    def path(self, key: str, digest: str) -> Path:
        return self._folder / key / f"{digest}.pdf"

    async def poster(self, site: Site, url: str) -> Poster:
        """The site's poster, from the cache, or drawn (waiting for a free slot) and kept."""
        photo = poster_photo(site, self._photos_folder)
        digest = poster_digest(site, url, photo)
        path = self.path(site.key, digest)
        pdf = await to_thread.run_sync(_read, path)
        if pdf is None:
            pdf = await to_thread.run_sync(
                self._draw, site, url, photo, path, limiter=self._drawing
            )
        return Poster(pdf, digest)

    def _draw(self, site: Site, url: str, photo: Path | None, path: Path) -> bytes:
        kept = _read(path)  # drawn by another request while this one waited for its turn
        if kept is not None:
            return kept
        pdf = poster_pdf(site, url, photo)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: another process sharing the folder reads all or nothing.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
            part.write(pdf)
        os.replace(part.name, path)
        for older in path.parent.glob("*.pdf"):
            if older != path:
                older.unlink(missing_ok=True)
        return pdf
