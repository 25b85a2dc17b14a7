"""A person's recording: checked, normalised, stored, and heard instead of speech synthesis."""

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from narration.audio import AudioError
from narration.build import Outcome
from narration.service import Narration
from narration.speech.espeak import EspeakNg
from tests.narration.audio_checks import loudness, tags


def _recording(tmp_path: Path, name: str, *ffmpeg_input: str) -> Path:
    path = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", *ffmpeg_input, "-ac", "2", path], check=True)
    return path


@pytest.fixture
def spoken_m4a(tmp_path: Path) -> Path:
    """A stand-in for a person's recording: speech, quiet, stereo AAC."""
    speech = tmp_path / "speech.wav"
    speech.write_bytes(EspeakNg().synthesize("Xin chào. " * 12, "vi").data)
    return _recording(tmp_path, "guide-reading.m4a", "-i", str(speech), "-af", "volume=-12dB")


def test_a_recording_is_normalised_and_wins_over_synthesis(
    narration: Narration, spoken_m4a: Path
) -> None:
    built = narration.build(["test-tower"], ["vi"])
    assert built.count(Outcome.BUILT) == 1
    version = narration.import_recording("test-tower", "vi", spoken_m4a, "Lan (staff)")
    assert (version.origin, version.engine, version.created_by) == (
        "human",
        "recording",
        "Lan (staff)",
    )
    current = narration.current("test-tower", "vi")
    assert current is not None and current.digest == version.digest
    mp3 = narration.library.file_path(version.digest, "mp3")
    integrated, true_peak = loudness(mp3)
    assert integrated == pytest.approx(-16, abs=1) and true_peak <= -1
    assert tags(mp3) | {"language": "vie", "title": "Tháp Thử Nghiệm"} == tags(mp3)
    (result,) = narration.build(["test-tower"], ["vi"]).results
    assert (result.outcome, result.engine) == (Outcome.REUSED, "recording")
    assert [v.origin for v in narration.versions("test-tower")["vi"]] == ["human", "machine"]


@pytest.mark.parametrize(
    ("name", "ffmpeg_input", "reason"),
    [
        ("silence.wav", ["-f", "lavfi", "-i", "anullsrc=duration=8"], "is silent"),
        (
            "short.wav",
            ["-f", "lavfi", "-i", "sine=duration=2"],
            "lasts 2.0 s; a narration recording lasts 5 s to 30 minutes",
        ),
    ],
)
def test_a_silent_or_short_recording_is_refused_with_the_reason(
    narration: Narration, tmp_path: Path, name: str, ffmpeg_input: list[str], reason: str
) -> None:
    path = _recording(tmp_path, name, *ffmpeg_input)
    with pytest.raises(AudioError, match=reason):
        narration.import_recording("test-tower", "vi", path, "staff")
    assert narration.versions("test-tower") == {}


def test_a_corrupt_recording_is_refused_and_leaves_nothing_behind(
    narration: Narration, spoken_m4a: Path, tmp_path: Path
) -> None:
    corrupt = tmp_path / "corrupt.m4a"
    data = spoken_m4a.read_bytes()
    corrupt.write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioError, match=r"the recording corrupt\.m4a does not decode as audio"):
        narration.import_recording("test-tower", "vi", corrupt, "staff")
    assert narration.versions("test-tower") == {}
    audio_dir = narration.library.audio_dir
    assert [path for path in audio_dir.rglob("*") if path.is_file()] == []


def test_the_command_refuses_a_bad_file_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, narration: Narration
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", str(narration.store.database.engine.url))
    monkeypatch.setenv("GUIDE_AUDIO_DIR", str(narration.library.audio_dir))
    get_settings.cache_clear()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a recording", "utf-8")
    command = ["narration", "import-recording", "--site", "test-tower", "--lang", "vi"]
    result = CliRunner().invoke(app, [*command, str(text_file)])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "the recording notes.txt does not decode as audio" in result.stderr
