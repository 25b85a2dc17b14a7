"""espeak-ng speaks the languages whose script it reads, and says so where it cannot."""

import pytest

from narration.languages import narration_language
from narration.speech.base import SpeechUnavailable
from narration.speech.espeak import EspeakNg, foreign_word_share


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "fr", "ru", "de"])
def test_a_voice_for_each_language_it_reads(lang: str) -> None:
    engine = EspeakNg.load()
    assert engine.unavailable_reason(lang) is None
    audio = engine.synthesize(narration_language(lang).sample, lang)
    assert audio.format == "wav" and audio.data[:4] == b"RIFF"


def test_debian_data_refuses_chinese_characters_instead_of_spelling_them_out() -> None:
    engine = EspeakNg(library=None)
    reason = engine.unavailable_reason("zh")
    assert reason is not None
    assert "cannot read this language's script properly" in reason
    assert "Chinese characters (hanzi, kanji)" in reason
    with pytest.raises(SpeechUnavailable, match="Chinese characters"):
        engine.synthesize("波克朗加莱占婆塔位于潘郎。", "zh")


def test_the_newer_data_reads_chinese_as_mandarin_syllables() -> None:
    engine = EspeakNg.load()
    assert engine.unavailable_reason("zh") is None
    phonemes = engine._run(["-q", "-x", "-v", "cmn"], "欢迎来到占婆塔。").decode()
    assert "(en)" not in phonemes  # nothing read through English rules
    assert "Xua55nj'i35N" in phonemes  # huānyíng, with its tones


def test_japanese_has_no_espeak_voice() -> None:
    assert EspeakNg.load().unavailable_reason("ja") == (
        "espeak-ng has no voice for ja in narration/languages.yaml"
    )


def test_a_text_full_of_foreign_script_is_refused_even_in_a_readable_language() -> None:
    with pytest.raises(SpeechUnavailable, match=r"spell out \d+% of the words in another language"):
        EspeakNg().synthesize("波克朗加莱占婆塔位于潘郎。潘郎是占婆古都。", "vi")


def test_foreign_word_share_counts_words_spoken_through_another_language() -> None:
    assert foreign_word_share("t'a:3p p'O1 kl'O#1N (en)g'a7raI1(vi) d'i", "vi") == 0.2
    assert foreign_word_share("(en)b@55 kE55 la55(cmn) w'ei51", "cmn") == 0.75
    assert foreign_word_share("", "vi") == 0.0


def test_a_missing_program_is_named_with_its_package() -> None:
    reason = EspeakNg(program="espeak-ng-not-installed").unavailable_reason("vi")
    assert reason == (
        "espeak-ng-not-installed is not installed: run `apt-get install espeak-ng` "
        "(or `make setup`)"
    )
