"""Every offline voice of the languages table really speaks: a sentence in, audio out that
decodes, and lasts as long as that sentence read aloud (not spelt out, not skipped)."""

from pathlib import Path

import pytest

from narration.audio import duration_s
from narration.languages import NARRATION_LANGUAGES, narration_language
from narration.speech.base import Synthesizer
from narration.speech.espeak import EspeakNg
from narration.speech.openjtalk import OpenJTalk
from narration.speech.pico import Pico
from narration.speech.piper import Piper
from narration.speech.plausible import implausible
from narration.speech.rhvoice import RhVoice

ENGINES: dict[str, Synthesizer] = {
    engine.name: engine for engine in (Piper(), OpenJTalk(), RhVoice(), Pico(), EspeakNg.load())
}
VOICES = [
    pytest.param(engine, language.code, id=f"{engine}-{language.code}")
    for language in NARRATION_LANGUAGES.values()
    for engine in language.voices
]


@pytest.mark.parametrize(("engine_name", "lang"), VOICES)
def test_the_voice_speaks_the_sample_at_a_plausible_length(
    engine_name: str, lang: str, tmp_path: Path
) -> None:
    engine = ENGINES[engine_name]
    assert engine.unavailable_reason(lang) is None
    sample = narration_language(lang).sample
    audio = engine.synthesize(sample, lang)
    path = tmp_path / f"speech.{audio.format}"
    path.write_bytes(audio.data)
    assert implausible(sample, lang, duration_s(path, "the speech")) is None


def test_kanji_spelt_out_is_far_too_long_for_its_text() -> None:
    # Debian's espeak-ng reads each kanji of this sentence as "Chinese letter": 10.7 s.
    reason = implausible(narration_language("ja").sample, "ja", 10.7) or ""
    assert "too slow: spelt out or stretched" in reason
    assert implausible("Hello there, welcome.", "en", 0.2) is not None
