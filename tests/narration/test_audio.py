"""Loudness normalisation and encoding, checked on real audio with ffprobe and ffmpeg."""

import subprocess
from pathlib import Path

import pytest

from narration.audio import Audio, AudioError, normalise_and_encode
from narration.speech.espeak import EspeakNg
from narration.speech.pico import Pico
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
SPEECH_EN = (
    "You are standing on Betel Hill, in front of the towers of Po Klong Garai. "
    "Three brick buildings remain here, raised at the end of the thirteenth century."
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


def test_the_opus_file_is_at_most_half_the_mp3_and_each_is_encoded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import narration.audio

    runs: list[str] = []
    real_run = narration.audio._run

    def counted(command: list[str], what: str) -> object:
        runs.append(what)
        return real_run(command, what)

    monkeypatch.setattr(narration.audio, "_run", counted)
    speech = Pico().synthesize(SPEECH_EN, "en")
    encoded = normalise_and_encode(speech, tmp_path, "Po Klong Garai", "eng", "a test")
    sizes = {fmt: path.stat().st_size for fmt, path in encoded.files.items()}
    assert sizes["opus"] <= sizes["mp3"] / 2
    # One decode, one encode of both formats and one check of both: no second encode. (The
    # limiter's loudness loss may take a measurement or two of the decoded PCM first.)
    assert sum(what.startswith("encoding") for what in runs) == 1, runs
    assert sum("does not decode" in what for what in runs) == 2, runs  # decode, ffprobe
    for path in encoded.files.values():
        integrated, true_peak = loudness(path)
        assert integrated == pytest.approx(-16, abs=1) and true_peak <= -1.0
