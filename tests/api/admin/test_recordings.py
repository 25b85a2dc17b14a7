"""Uploading a human recording: refused with the reason when too large or not audio."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from api.settings import Settings
from api.staff.audit import AuditLog
from api.staff.recordings import RecordingRefused, check_recording
from sites_data.db import Database
from tests.api.admin.factories import StaffClient, make_staff, sign_in, tone_file

MAX_BYTES = 5_000_000


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("recordings")
    text = folder / "narration.mp3"
    text.write_text("This is the narration script, not a recording of it.\n" * 20, "utf-8")
    truncated = folder / "truncated.mp3"
    mp3 = tone_file(folder, "tone.mp3", 3, "-c:a", "libmp3lame", "-b:a", "64k")
    truncated.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 2000)
    return {
        "mp3": mp3,
        "wav": tone_file(folder, "tone.wav", 2),
        "opus": tone_file(folder, "tone.opus", 2, "-c:a", "libopus"),
        "blip": tone_file(folder, "blip.wav", 0.3),
        "reading": tone_file(folder, "reading.mp3", 6, "-c:a", "libmp3lame", "-b:a", "64k"),
        "silence": tone_file(folder, "silence.wav", 6, source="anullsrc"),
        "text": text,
        "truncated": truncated,
    }


@pytest.mark.parametrize(
    ("name", "codec", "seconds"),
    [("mp3", "mp3", 3.0), ("wav", "pcm_s16le", 2.0), ("opus", "opus", 2.0)],
)
def test_real_audio_passes_the_check(
    recordings: dict[str, Path], name: str, codec: str, seconds: float
) -> None:
    with recordings[name].open("rb") as source:
        checked = check_recording(source, recordings[name].name, MAX_BYTES)
    try:
        assert checked.codec == codec
        assert checked.duration_s == pytest.approx(seconds, abs=0.1)
        assert checked.size_bytes == recordings[name].stat().st_size
        assert checked.path.read_bytes() == recordings[name].read_bytes()
    finally:
        checked.path.unlink()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("text", "is not an audio file the guide can read"),
        ("truncated", "is not an audio file the guide can read"),
        ("blip", "holds less than 1 second of sound"),
    ],
)
def test_what_is_not_a_recording_is_refused_with_the_reason(
    recordings: dict[str, Path], name: str, reason: str
) -> None:
    with recordings[name].open("rb") as source, pytest.raises(RecordingRefused) as refused:
        check_recording(source, recordings[name].name, MAX_BYTES)
    assert refused.value.status_code == 415
    assert refused.value.message.startswith(recordings[name].name)
    assert reason in refused.value.message


def test_a_file_over_the_limit_is_refused_while_it_is_read(recordings: dict[str, Path]) -> None:
    with recordings["wav"].open("rb") as source, pytest.raises(RecordingRefused) as refused:
        check_recording(source, "tone.wav", 10_000)
    assert refused.value.status_code == 413
    assert "tone.wav is larger than 0.01 MB" in refused.value.message
    assert "lower bitrate" in refused.value.message


def _upload(staff: StaffClient, path: Path, url: str, page: bool = False) -> Response:
    files = {"recording": (path.name, path.read_bytes(), "audio/mpeg")}
    if page:
        return staff.client.post(url, files=files, data={"csrf_token": staff.csrf})
    return staff.client.post(url, files=files, headers={"X-CSRF-Token": staff.csrf})


def _audit_actions(settings: Settings) -> list[str]:
    return [
        entry.action.value for entry in AuditLog(Database.open(settings.database_url)).entries()
    ]


def test_the_api_refuses_a_non_audio_file(
    editor: StaffClient, recordings: dict[str, Path], settings: Settings
) -> None:
    response = _upload(editor, recordings["text"], "/api/admin/sites/test-tower/recordings/en")
    assert response.status_code == 415
    assert "narration.mp3 is not an audio file" in response.json()["detail"]
    assert "upload" not in _audit_actions(settings)


def test_the_page_refuses_a_non_audio_file_with_the_reason(
    editor: StaffClient, recordings: dict[str, Path]
) -> None:
    response = _upload(
        editor, recordings["text"], "/admin/sites/test-tower/recordings?lang=en&ui=en", page=True
    )
    assert response.status_code == 415
    assert "narration.mp3 is not an audio file" in response.text


def test_a_good_recording_becomes_the_version_visitors_hear(
    editor: StaffClient, recordings: dict[str, Path], settings: Settings, tmp_path: Path
) -> None:
    before = editor.client.get("/api/sites/test-tower/narration/en")
    assert before.status_code == 404  # nothing built or recorded yet
    response = _upload(editor, recordings["reading"], "/api/admin/sites/test-tower/recordings/en")
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["file"] == "reading.mp3" and stored["codec"] == "mp3"
    heard = editor.client.get("/api/sites/test-tower/narration/en").json()
    assert heard["origin"] == "human" and heard["engine"] == "recording"
    assert heard["url"] == stored["url"]
    assert heard["duration_s"] == pytest.approx(6.0, abs=0.2)
    audio = editor.client.get(heard["url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    served = tmp_path / "served.mp3"
    served.write_bytes(audio.content)
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", served],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(probed.stdout) == pytest.approx(6.0, abs=0.2)
    assert "upload" in _audit_actions(settings)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("silence", "The recording silence.wav is silent"), ("mp3", "tone.mp3 lasts 3.0 s")],
)
def test_audio_the_narration_will_not_use_is_refused_with_its_reason(
    editor: StaffClient,
    recordings: dict[str, Path],
    settings: Settings,
    name: str,
    reason: str,
) -> None:
    response = _upload(editor, recordings[name], "/api/admin/sites/test-tower/recordings/en")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "recording"]
    assert reason in problem["msg"] and "The recording was not kept." in problem["msg"]
    page = _upload(
        editor, recordings[name], "/admin/sites/test-tower/recordings?lang=en&ui=en", page=True
    )
    assert page.status_code == 422
    assert reason in page.text and "Traceback" not in page.text
    assert editor.client.get("/api/sites/test-tower/narration/en").status_code == 404
    assert "upload" not in _audit_actions(settings)
    audio_files = [path for path in Path(settings.audio_dir).rglob("*") if path.is_file()]
    assert audio_files == []


def test_an_unknown_language_is_refused(editor: StaffClient, recordings: dict[str, Path]) -> None:
    response = _upload(editor, recordings["mp3"], "/api/admin/sites/test-tower/recordings/xx")
    assert response.status_code == 422


@pytest.fixture
def small_limit(settings: Settings) -> Iterator[StaffClient]:
    make_staff(settings.database_url)
    app = create_app(settings.model_copy(update={"recording_max_mb": 0.05}))
    with TestClient(app, follow_redirects=False) as client:
        yield sign_in(client, "eva")


def test_an_oversized_upload_is_refused_before_it_is_received(
    small_limit: StaffClient, recordings: dict[str, Path]
) -> None:
    big = recordings["wav"]  # 2 s of 44.1 kHz 16-bit mono: about 176 kB
    response = _upload(small_limit, big, "/api/admin/sites/test-tower/recordings/en")
    assert response.status_code == 413
    assert "larger than 0.05 MB" in response.json()["detail"]
    page = _upload(small_limit, big, "/admin/sites/test-tower/recordings?lang=en", page=True)
    assert page.status_code == 413
    assert "0.05 MB" in page.text
