"""/healthz tells the truth: a database that cannot be written is a 503 saying so."""

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_plays import VIEW, copied_database
from tests.conftest import NarratedGuide


def test_a_read_only_database_fails_the_health_check_but_not_the_visitors(
    narrated_guide: NarratedGuide, tmp_path: Path
) -> None:
    database = copied_database(narrated_guide, tmp_path)
    settings = Settings(
        database_url=f"sqlite:///file:{database}?mode=ro&uri=true",
        audio_dir=str(narrated_guide.audio_dir),
        cache_dir=str(tmp_path / "cache"),
    )
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {
            "status": "failing",
            "reason": "the database does not accept writes: attempt to write a readonly database",
        }
        # Visitors still read the page and hear the narration; only the count is lost.
        assert client.get("/s/test-tower?lang=en").status_code == 200
        url = client.get("/api/sites/test-tower/narration/en").json()["url"]
        assert client.get(url).status_code == 200
        assert client.get(url, headers={"Range": "bytes=0-"}).status_code == 206
        play = client.post("/api/plays", data={"site": "test-tower", "lang": "en", "view": VIEW})
        assert play.status_code == 503
        assert play.json()["detail"] == (
            "the play could not be counted: the database does not accept writes now"
        )


def test_a_writable_database_is_healthy_and_unchanged_by_the_check(
    narrated_guide: NarratedGuide, tmp_path: Path
) -> None:
    database = copied_database(narrated_guide, tmp_path)
    before = database.read_bytes()
    settings = Settings(
        database_url=f"sqlite:///{database}", audio_dir=str(narrated_guide.audio_dir)
    )
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            assert client.get("/healthz").json() == {"status": "ok", "sites": 1}
    assert database.read_bytes() == before
    assert not database.with_name(database.name + "-journal").exists()
