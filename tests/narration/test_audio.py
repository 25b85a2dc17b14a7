"""Loudness normalisation and encoding, checked on real audio with ffprobe and ffmpeg."""

import subprocess
from pathlib import Path

import pytest

from narration.audio import Audio, AudioError, normalise_and_encode
from narration.speech.espeak import EspeakNg
from tests.narration.audio_checks import loudness, probe, tags


def _lavfi(source: str, tmp_path: Path) -> Audio:
    """Test audio made by ffmpeg's generators (stereo, 44.1 kHz: the pipeline makes it mono)."""
    path = tmp_path / "generated.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, "-ac", "2", "-ar", "44100", path],
        check=True,
    )
    return Audio(path.read_bytes(), "wav")


SPEECH = (
    "Bạn đang đứng trên đồi Trầu, trước tháp Po Klong Garai. "
    "Ở đây còn ba công trình bằng gạch, được xây vào cuối thế kỷ mười ba."
)


@pytest.mark.parametrize(
    "make_audio",
    [
        pytest.param(lambda tmp: EspeakNg().synthesize(SPEECH, "vi"), id="espeak speech"),
        pytest.param(
            lambda tmp: _lavfi("sine=frequency=440:duration=6,volume=-20dB", tmp), id="quiet tone"
        ),
        pytest.param(
            lambda tmp: _lavfi("anoisesrc=color=pink:duration=6:amplitude=0.9", tmp),
            id="loud noise",
        ),
    ],
)
def test_every_file_comes_out_mono_at_minus_16_lufs_with_headroom_and_tags(
    make_audio: object, tmp_path: Path
) -> None:
    audio = make_audio(tmp_path)  # type: ignore[operator]
    encoded = normalise_and_encode(audio, tmp_path, "Tháp Po Klong Garai", "vie", "a test")
    assert set(encoded.files) == {"mp3", "opus"}
    for fmt, path in encoded.files.items():
        info = probe(path)
        (stream,) = info["streams"]
        assert stream["codec_name"] == fmt
        assert stream["channels"] == 1
        integrated, true_peak = loudness(path)
        assert integrated == pytest.approx(-16, abs=1), fmt
        assert true_peak <= -1.0, fmt
        assert tags(path)["title"] == "Tháp Po Klong Garai"
        assert tags(path)["language"] == "vie"
        assert float(info["format"]["duration"]) == pytest.approx(encoded.duration_s, abs=0.1)


def test_a_corrupt_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    speech = EspeakNg().synthesize(SPEECH, "vi")
    broken = Audio(speech.data[:44] + bytes(range(256)) * 40, "mp3")
    with pytest.raises(AudioError, match="the recording does not decode as audio"):
        normalise_and_encode(broken, tmp_path, "t", "vie", "the recording")
    with pytest.raises(AudioError, match="does not decode as audio"):
        normalise_and_encode(Audio(b"not audio at all", "wav"), tmp_path, "t", "vie", "x")


def test_a_silent_file_is_refused(tmp_path: Path) -> None:
    silence = _lavfi("anullsrc=duration=5", tmp_path)
    with pytest.raises(AudioError, match=r"the recording is silent \(loudness -70 LUFS\)"):
        normalise_and_encode(silence, tmp_path, "t", "vie", "the recording")
