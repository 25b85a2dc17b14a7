"""Posters are drawn once per content, one at a time, and the guide answers meanwhile."""

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import poster_cache, qr
from api.settings import Settings
from sites_data.db import Database
from sites_data.schema import Site
from sites_data.store import SiteStore

WAIT_S = 30


class Draws:
    """The real poster drawing, counting the posters drawn and how many at once."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.keys: list[str] = []
        self.most_at_once = 0
        self._drawing = 0
        self._lock = threading.Lock()

    def __call__(self, site: Site, url: str, photo: Path | None = None) -> bytes:
        with self._lock:
            self.keys.append(site.key)
            self._drawing += 1
            self.most_at_once = max(self.most_at_once, self._drawing)
        self.started.set()
        try:
            assert self.release.wait(WAIT_S), "the test never let the drawing go on"
            return qr.poster_pdf(site, url, photo)
        finally:
            with self._lock:
                self._drawing -= 1


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Draws:
    spy = Draws()
    monkeypatch.setattr(poster_cache, "poster_pdf", spy)
    return spy


def _cache_dir(client: TestClient) -> Path:
    settings: Settings = cast(FastAPI, client.app).state.services.settings
    return Path(settings.cache_dir)


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def test_a_poster_is_drawn_once_and_kept_on_disk(client: TestClient, draws: Draws) -> None:
    first = client.get("/qr/test-tower/poster.pdf")
    again = client.get("/qr/test-tower/poster.pdf")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert draws.keys == ["test-tower"]
    kept = list((_cache_dir(client) / "posters" / "test-tower").iterdir())
    assert [path.read_bytes() for path in kept] == [first.content]
    etag = first.headers["etag"]
    unchanged = client.get("/qr/test-tower/poster.pdf", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_new_revision_of_the_names_makes_a_new_poster(
    client: TestClient, database_file: str, draws: Draws, tmp_path: Path
) -> None:
    before = client.get("/qr/test-museum/poster.pdf")
    assert "Test Museum" in _text(before.content, tmp_path)
    store = SiteStore(Database.open(database_file))
    stored = store.get("test-museum")
    renamed = stored.site.model_copy(update={"names": {**stored.site.names, "en": "Renamed Hall"}})
    store.update(renamed, stored.revision, "eva")

    after = client.get("/qr/test-museum/poster.pdf")
    text = _text(after.content, tmp_path)
    assert "Renamed Hall" in text and "Test Museum" not in text
    assert after.headers["etag"] != before.headers["etag"]
    assert draws.keys == ["test-museum", "test-museum"]
    # Only the poster of the current content stays in the cache.
    kept = list((_cache_dir(client) / "posters" / "test-museum").iterdir())
    assert [path.read_bytes() for path in kept] == [after.content]


def test_posters_asked_at_once_are_drawn_one_at_a_time_and_each_once(
    client: TestClient, draws: Draws
) -> None:
    keys = ["test-tower", "test-museum", "far-away"] * 3
    with ThreadPoolExecutor(len(keys)) as pool:
        answers = list(pool.map(lambda key: client.get(f"/qr/{key}/poster.pdf"), keys))
    assert [answer.status_code for answer in answers] == [200] * len(keys)
    assert sorted(draws.keys) == ["far-away", "test-museum", "test-tower"]
    assert draws.most_at_once == 1


def test_the_guide_answers_while_posters_wait_to_be_drawn(client: TestClient, draws: Draws) -> None:
    draws.release.clear()
    keys = ["test-tower", "test-museum", "far-away"] * 20  # more than the 40 worker threads
    with ThreadPoolExecutor(len(keys)) as posters, ThreadPoolExecutor(1) as visitor:
        try:
            answers = posters.map(lambda key: client.get(f"/qr/{key}/poster.pdf"), keys)
            assert draws.started.wait(WAIT_S)
            # One poster is being drawn and the others wait: the guide still answers at once.
            health = visitor.submit(client.get, "/healthz").result(timeout=WAIT_S / 2)
            assert health.status_code == 200
            page = visitor.submit(client.get, "/s/far-away?lang=en").result(timeout=WAIT_S / 2)
            assert page.status_code == 200
        finally:
            draws.release.set()
        assert {answer.status_code for answer in answers} == {200}
