"""The narration API and its audio files: JSON, Range, ETag, caching, no play counts, 404s."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from api.app import create_app
from api.settings import Settings
from sites_data.activity import ActivityLog, Counted
from sites_data.db import Database
from sites_data.languages import LANGUAGE_CODES
from tests.conftest import NarratedGuide


@pytest.fixture
def narrated(narrated_guide: NarratedGuide) -> Iterator[TestClient]:
    settings = Settings(
        database_url=narrated_guide.database_url, audio_dir=str(narrated_guide.audio_dir)
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _plays(guide: NarratedGuide) -> int:
    counts = ActivityLog(Database(create_engine(guide.database_url))).daily_counts(Counted.PLAY)
    return sum(count.count for count in counts)


def test_the_narration_of_a_site_in_a_language(
    narrated: TestClient, narrated_guide: NarratedGuide, tmp_path: Path
) -> None:
    response = narrated.get("/api/sites/test-tower/narration/vi")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"url", "opus_url", "duration_s", "origin", "engine", "transcript"}
    assert body["origin"] == "machine" and body["engine"] == "espeak"
    assert body["transcript"].startswith("Đây là một câu thuyết minh mẫu")
    assert body["url"].startswith("/audio/test-tower/vi/") and body["url"].endswith(".mp3")
    audio = narrated.get(body["url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    mp3 = tmp_path / "narration.mp3"
    mp3.write_bytes(audio.content)
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp3],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(probed.stdout) == pytest.approx(body["duration_s"], abs=0.1)


def test_audio_answers_range_requests_with_etag_and_long_caching(narrated: TestClient) -> None:
    url = narrated.get("/api/sites/test-tower/narration/en").json()["opus_url"]
    whole = narrated.get(url)
    assert whole.headers["content-type"] == "audio/ogg; codecs=opus"
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = whole.headers["etag"]
    assert etag == f'"{Path(url).stem}"'
    part = narrated.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole.content)}"
    assert part.content == whole.content[100:200]
    assert part.headers["etag"] == etag
    again = narrated.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_fetching_the_audio_counts_no_play(
    narrated: TestClient, narrated_guide: NarratedGuide
) -> None:
    url = narrated.get("/api/sites/test-tower/narration/vi").json()["url"]
    before = _plays(narrated_guide)
    narrated.get(url)  # a download, or a client fetching in a loop
    narrated.get(url, headers={"Range": "bytes=0-"})  # the player starts
    narrated.get(url, headers={"Range": "bytes=5000-"})  # and seeks
    # The player reports the play itself (tests/api/test_plays.py).
    assert _plays(narrated_guide) == before


def test_unknown_language_is_a_422_and_an_unknown_site_or_audio_a_404(
    narrated: TestClient,
) -> None:
    response = narrated.get("/api/sites/test-tower/narration/xx")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["path", "lang"]
    assert problem["msg"].endswith(
        f"unknown language 'xx'; the supported ones are {', '.join(LANGUAGE_CODES)}"
    )
    response = narrated.get("/api/sites/nowhere/narration/vi")
    assert response.status_code == 404 and "no site has the key 'nowhere'" in response.text
    response = narrated.get("/api/sites/test-tower/narration/ko")
    assert response.status_code == 404
    assert response.json()["detail"] == "the narration of 'test-tower' in 'ko' is not built yet"
    vi_url = narrated.get("/api/sites/test-tower/narration/vi").json()["url"]
    assert narrated.get(vi_url.replace("/vi/", "/en/")).status_code == 404
    assert narrated.get("/audio/test-tower/vi/../../guide.db").status_code == 404
    assert narrated.get("/audio/test-tower/vi/" + "0" * 64 + ".mp3").status_code == 404


def test_the_qr_page_offers_the_audio_or_says_it_is_not_ready(narrated: TestClient) -> None:
    html = narrated.get("/s/test-tower?lang=en").text
    url = narrated.get("/api/sites/test-tower/narration/en").json()["url"]
    assert '<audio id="narration" controls preload="none" lang="en">' in html
    assert "wird vorbereitet" not in html and "being prepared" not in html
    assert f'<source src="{url}" type="audio/mpeg">' in html
    assert f'href="{url}" download="test-tower-en.mp3"' in html
    assert "Synthetic voice" in html
    # No German narration yet: the English one meanwhile, saying so in German...
    html = narrated.get("/s/test-tower?lang=de").text
    assert '<audio id="narration" controls preload="none" lang="en">' in html
    assert f'<source src="{url}" type="audio/mpeg">' in html
    assert "Die Erzählung auf Deutsch wird vorbereitet." in html
    assert "Solange können Sie sie auf Englisch anhören." in html
    # ...or in a language the browser also accepts.
    html = narrated.get("/s/test-tower?lang=de", headers={"Accept-Language": "de, vi;q=0.5"}).text
    vi_url = narrated.get("/api/sites/test-tower/narration/vi").json()["url"]
    assert f'<source src="{vi_url}" type="audio/mpeg">' in html
    assert "Solange können Sie sie auf Vietnamesisch anhören." in html
