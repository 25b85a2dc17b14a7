"""Plays are counted from the player's report, once per page view; serving audio counts none."""

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete

from api.app import create_app
from api.play_limits import PlayLimiter, PlayLimits, Verdict
from api.settings import Settings
from sites_data.activity import ActivityLog, Counted
from sites_data.db import DailyCountRow, Database
from tests.api.admin.factories import make_staff, sign_in
from tests.conftest import NarratedGuide

VIEW = "3f2a9c0d4b7e4e21a0c6d1f2e3b4a5c6"


def copied_database(guide: NarratedGuide, folder: Path) -> Path:
    """A copy of the narrated guide's database, for a test that writes to it."""
    source = Path(guide.database_url.removeprefix("sqlite:///"))
    return Path(shutil.copy(source, folder / "guide.db"))


@pytest.fixture
def database_url(narrated_guide: NarratedGuide, tmp_path: Path) -> str:
    """The copy, without the plays other tests counted in the original."""
    url = f"sqlite:///{copied_database(narrated_guide, tmp_path)}"
    with create_engine(url).begin() as connection:
        connection.execute(delete(DailyCountRow))
    return url


@pytest.fixture
def guide(database_url: str, narrated_guide: NarratedGuide, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        audio_dir=str(narrated_guide.audio_dir),
        cache_dir=str(tmp_path / "cache"),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _plays(database_url: str) -> dict[tuple[str, str], int]:
    counts = ActivityLog(Database(create_engine(database_url))).daily_counts(Counted.PLAY)
    return {(count.site_key, count.lang): count.count for count in counts}


def _report(client: TestClient, view: str = VIEW, **fields: str) -> dict[str, object]:
    response = client.post(
        "/api/plays", data={"site": "test-tower", "lang": "en", "view": view, **fields}
    )
    assert response.status_code == 200, response.text
    return cast(dict[str, object], response.json())


def test_fetching_the_audio_counts_nothing(guide: TestClient, database_url: str) -> None:
    url = guide.get("/api/sites/test-tower/narration/vi").json()["url"]
    for headers in ({}, {"Range": "bytes=0-"}, {"Range": "bytes=0-1"}, {"Range": "bytes=500-"}):
        assert guide.get(url, headers=headers).status_code in (200, 206)
    assert _plays(database_url) == {}


def test_a_play_counts_once_per_page_view(guide: TestClient, database_url: str) -> None:
    assert _report(guide) == {"counted": True, "reason": None}
    assert _report(guide) == {
        "counted": False,
        "reason": "this page view's play was counted already",
    }
    assert _plays(database_url) == {("test-tower", "en"): 1}
    assert _report(guide, view="another-page-view")["counted"] is True
    assert _report(guide, lang="vi")["counted"] is True
    assert _plays(database_url) == {("test-tower", "en"): 2, ("test-tower", "vi"): 1}


@pytest.mark.parametrize(
    ("fields", "status", "detail"),
    [
        ({"site": "nowhere"}, 404, "no site has the key 'nowhere'; see /api/sites"),
        ({"lang": "xx"}, 422, "unknown language 'xx'; the supported ones are"),
        ({"lang": "ko"}, 404, "the narration of 'test-tower' in 'ko' is not built yet"),
        ({"view": "short"}, 422, "view"),
        ({"view": "<script>alert(1)</script>"}, 422, "view"),
        ({"site": "x" * 101}, 422, "site"),
    ],
)
def test_a_bad_report_is_refused_saying_why(
    guide: TestClient, database_url: str, fields: dict[str, str], status: int, detail: str
) -> None:
    response = guide.post(
        "/api/plays", data={"site": "test-tower", "lang": "en", "view": VIEW, **fields}
    )
    assert response.status_code == status
    assert detail in str(response.json()["detail"])
    assert _plays(database_url) == {}


def test_a_report_without_a_field_or_too_large_is_refused(guide: TestClient) -> None:
    response = guide.post("/api/plays", data={"site": "test-tower", "lang": "en"})
    assert response.status_code == 422 and "view" in str(response.json()["detail"])
    response = guide.post(
        "/api/plays", data={"site": "test-tower", "lang": "en", "view": "v" * 2000}
    )
    assert response.status_code == 413
    assert "accepts at most 1 kB" in response.json()["detail"]


def test_plays_by_signed_in_staff_are_not_counted(guide: TestClient, database_url: str) -> None:
    make_staff(database_url)
    sign_in(guide, "eva")
    assert _report(guide) == {
        "counted": False,
        "reason": "plays by signed-in staff are not counted",
    }
    assert _plays(database_url) == {}


def test_one_address_counts_a_bounded_number_of_plays(guide: TestClient, database_url: str) -> None:
    state = cast(FastAPI, guide.app).state
    limiter = PlayLimiter(PlayLimits(per_address=3))
    state.services = dataclasses.replace(state.services, play_limiter=limiter)
    for number in range(3):
        assert _report(guide, view=f"page-view-{number}")["counted"] is True
    refused = guide.post(
        "/api/plays", data={"site": "test-tower", "lang": "en", "view": "page-view-9"}
    )
    assert refused.status_code == 429
    assert refused.json()["detail"] == (
        "more than 3 plays reported from this address in 10 minutes; try again later"
    )
    assert 1 <= int(refused.headers["retry-after"]) <= 601
    assert _plays(database_url) == {("test-tower", "en"): 3}


def test_the_limiter_forgets_old_views_and_windows() -> None:
    now = [0.0]
    limiter = PlayLimiter(
        PlayLimits(window_s=600, per_address=2, view_memory_s=3600), lambda: now[0]
    )
    assert limiter.judge("10.0.0.1", "view-a", "test-tower", "en") == Verdict.COUNT
    assert limiter.judge("10.0.0.1", "view-a", "test-tower", "en") == Verdict.SEEN
    assert limiter.judge("10.0.0.1", "view-b", "test-tower", "en") == Verdict.COUNT
    assert limiter.judge("10.0.0.1", "view-c", "test-tower", "en") == Verdict.TOO_MANY
    assert limiter.judge("10.0.0.2", "view-c", "test-tower", "en") == Verdict.COUNT
    now[0] = 601.0  # a new window: the address may report again; the views are remembered
    assert limiter.judge("10.0.0.1", "view-a", "test-tower", "en") == Verdict.SEEN
    assert limiter.judge("10.0.0.1", "view-d", "test-tower", "en") == Verdict.COUNT
    now[0] = 3601.0  # view-a is forgotten: a tab left open counts again
    assert limiter.judge("10.0.0.1", "view-a", "test-tower", "en") == Verdict.COUNT
