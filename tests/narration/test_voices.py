"""Which voice speaks which language: auto's order, licences, and advice when none can."""

import pytest

from narration.errors import NarrationError
from narration.speech.engines import Voices, voices_report
from narration.speech.espeak import EspeakLibrary, EspeakNg
from narration.speech.google import GoogleTts
from narration.speech.mms import MmsVits
from narration.speech.openjtalk import OpenJTalk
from narration.speech.pico import Pico
from narration.speech.piper import Piper
from narration.speech.rhvoice import RhVoice

OFFLINE = GoogleTts(reachability=lambda: "the gTTS service cannot be reached")


def test_auto_follows_the_languages_table_not_the_order_engines_are_given_in() -> None:
    voices = Voices([OFFLINE, EspeakNg.load(), Pico(), RhVoice(), Piper(), OpenJTalk()])
    assert voices.chosen("en") == "rhvoice"
    assert voices.chosen("fr") == "pico"
    assert voices.chosen("ru") == "rhvoice"
    assert voices.chosen("ja") == "openjtalk"
    assert voices.chosen("zh") == "espeak"
    assert [engine.name for engine in voices.candidates("de", "auto")] == ["pico", "espeak"]


def test_a_non_commercial_engine_is_never_chosen_by_auto(tiny_vits_dir: object) -> None:
    voices = Voices([MmsVits(f"vi={tiny_vits_dir}"), EspeakNg.load()])
    assert voices.chosen("vi") == "espeak"
    assert [engine.name for engine in voices.candidates("vi", "auto")] == ["espeak"]
    assert [engine.name for engine in voices.candidates("vi", "mms")] == ["mms"]
    with pytest.raises(NarrationError, match="no speech engine can speak vi"):
        Voices([MmsVits(f"vi={tiny_vits_dir}")]).candidates("vi", "auto")


def test_a_language_without_an_offline_voice_is_told_what_to_install() -> None:
    voices = Voices(
        [
            OFFLINE,
            RhVoice(program="RHVoice-absent"),
            Pico(program="pico2wave-absent"),
            EspeakNg(program="espeak-ng-absent"),
        ]
    )
    report = voices_report(voices)
    assert report.without_offline_voice == ["vi", "en", "zh", "ko", "ja", "fr", "ru", "de"]
    lines = report.lines
    assert (
        "ru  Russian: auto uses nothing; no offline voice on this machine, install one: "
        "apt-get install rhvoice rhvoice-russian or apt-get install espeak-ng"
    ) in lines
    assert (
        "fr  French: auto uses nothing; no offline voice on this machine, install one: "
        "apt-get install libttspico-utils or apt-get install espeak-ng"
    ) in lines
    assert "    espeak    unavailable: espeak-ng-absent is not installed: run " in "\n".join(lines)
    assert lines[-1] == "No offline voice on this machine for: vi, en, zh, ko, ja, fr, ru, de."


def test_debian_espeak_data_spells_chinese_out_and_the_message_names_the_fix() -> None:
    reason = EspeakNg(library=None).unavailable_reason("zh") or ""
    assert "cannot read this language's script properly" in reason
    assert "`pip install espeakng-loader`" in reason
    library = EspeakLibrary.from_package()
    assert library is not None
    assert EspeakNg(library=library).unavailable_reason("zh") is None
