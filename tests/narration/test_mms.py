"""MMS voices through the real loading code, on a tiny random VITS built for the test."""

from pathlib import Path

import pytest

from narration.build import Outcome
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.speech.mms import MmsVits
from tests.narration.audio_checks import loudness, probe
from tests.narration.tiny_models import tiny_vits


def test_a_vits_model_from_a_folder_speaks_wav_the_same_each_time(
    tiny_vits_dir: Path, tmp_path: Path
) -> None:
    engine = MmsVits(f"vi={tiny_vits_dir}")
    assert engine.unavailable_reason("vi") is None
    assert engine.voice("vi") == str(tiny_vits_dir)
    audio = engine.synthesize("Xin chào các bạn. Đây là tháp Chăm.", "vi")
    assert audio.format == "wav"
    assert engine.synthesize("Xin chào các bạn. Đây là tháp Chăm.", "vi") == audio
    path = tmp_path / "mms.wav"
    path.write_bytes(audio.data)
    (stream,) = probe(path)["streams"]
    assert stream["sample_rate"] == "16000" and stream["channels"] == 1
    assert float(stream["duration"]) > 0.3


def test_mms_speaks_when_asked_for_by_name_and_the_audio_is_normalised(
    narration: Narration, tiny_vits_dir: Path
) -> None:
    narration.voices = Voices([MmsVits(f"vi={tiny_vits_dir}"), EspeakNg()])
    assert narration.voices.chosen("vi") == "espeak"  # non-commercial: never auto's choice
    report = narration.build(["test-tower"], ["vi"], engine="mms")
    assert {result.lang: result.outcome for result in report.results} == {"vi": Outcome.BUILT}
    version = narration.current("test-tower", "vi")
    assert version is not None and (version.engine, version.voice) == ("mms", str(tiny_vits_dir))
    integrated, true_peak = loudness(narration.library.file_path(version.digest, "mp3"))
    assert integrated == pytest.approx(-16, abs=1) and true_peak <= -1


def test_models_it_cannot_use_are_declined_with_the_reason(tmp_path: Path) -> None:
    romanising = tiny_vits(
        tmp_path / "mms-tts-kor-tiny", letters="abcdefghijklmnopqrstuvwxyz", uroman=True
    )
    engine = MmsVits(f"ko={romanising},vi={tmp_path / 'absent'}")
    assert engine.unavailable_reason("ko") == (
        f"MMS model '{romanising}' expects text romanised with uroman, which the guide does not do"
    )
    missing = engine.unavailable_reason("vi") or ""
    assert missing.startswith(f"MMS model '{tmp_path / 'absent'}' is not on this machine")
    assert "hf download" in missing
    assert engine.unavailable_reason("fr") == "GUIDE_MMS_MODEL names no model for fr"
    assert engine.unavailable_reason("zh") == (
        "MMS voices read plain or romanised letters, not this language's script"
    )
    english_only = MmsVits(
        f"vi={tiny_vits(tmp_path / 'latin', letters='abcdefghijklmnopqrstuvwxyz')}"
    )
    assert "does not know" in (english_only.unavailable_reason("vi") or "")
