"""Every version of a site's narration audio, to listen to on the staff page and to read
from the JSON API, the one visitors hear marked."""

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from narration.build import Outcome
from narration.service import Narration
from tests.api.admin.factories import StaffClient, tone_file


@pytest.fixture
def two_versions(app: FastAPI, editor: StaffClient, tmp_path: Path) -> None:
    """English built by speech synthesis, then recorded by eva: the recording wins."""
    narration: Narration = app.state.services.narration
    report = narration.build(["test-tower"], ["en"], engine="espeak")
    assert report.count(Outcome.BUILT) == 1, report.failures
    reading = tone_file(tmp_path, "reading.wav", 6)
    files = {"recording": (reading.name, reading.read_bytes(), "audio/wav")}
    uploaded = editor.client.post(
        "/api/admin/sites/test-tower/recordings/en",
        files=files,
        headers={"X-CSRF-Token": editor.csrf},
    )
    assert uploaded.status_code == 201, uploaded.text


@pytest.mark.usefixtures("two_versions")
def test_the_api_lists_every_version_the_one_visitors_hear_first(editor: StaffClient) -> None:
    response = editor.client.get("/api/admin/sites/test-tower/audio")
    assert response.status_code == 200
    versions = response.json()
    assert list(versions) == ["en"]
    recording, synthesis = versions["en"]
    assert (recording["current"], recording["origin"], recording["engine"]) == (
        True,
        "human",
        "recording",
    )
    assert (recording["voice"], recording["created_by"]) == ("reading.wav", "eva")
    assert recording["duration_s"] == pytest.approx(6.0, abs=0.2)
    assert (synthesis["current"], synthesis["origin"], synthesis["engine"]) == (
        False,
        "machine",
        "espeak",
    )
    assert synthesis["created_by"] == "narration build"
    heard = editor.client.get("/api/sites/test-tower/narration/en").json()
    assert heard["url"] == recording["url"]
    for version in (recording, synthesis):
        for url, media in ((version["url"], "audio/mpeg"), (version["opus_url"], "audio/ogg")):
            audio = editor.client.get(url)
            assert audio.status_code == 200 and audio.headers["content-type"].startswith(media)


@pytest.mark.usefixtures("two_versions")
def test_the_page_plays_every_version_of_the_language_being_edited(editor: StaffClient) -> None:
    urls = [
        version["url"]
        for version in editor.client.get("/api/admin/sites/test-tower/audio").json()["en"]
    ]
    page = editor.client.get("/admin/sites/test-tower?lang=en&ui=en").text
    players = re.findall(r'<audio controls preload="none" src="([^"]+)"></audio>', page)
    assert players == urls
    rows = re.findall(r"<tr( class=\"heard-now\")?>\s*<td>(.*?)</td>", page, re.S)
    assert [(bool(marked), cell.split(" <span")[0]) for marked, cell in rows[-2:]] == [
        (True, "A person&#39;s recording"),
        (False, "Speech synthesis"),
    ]
    assert page.count("What visitors hear") == 1
    assert "recording · reading.wav" in page and "0:06" in page

    french = editor.client.get("/admin/sites/test-tower?lang=fr&ui=en").text
    assert "There is no audio in this language yet." in french
    assert "<audio" not in french


def test_an_unknown_site_has_no_audio(editor: StaffClient) -> None:
    assert editor.client.get("/api/admin/sites/nowhere/audio").status_code == 404
