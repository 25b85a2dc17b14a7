"""Every language of the guide has its narration settings (voice per engine, translation)."""

from dataclasses import fields

import pytest

from narration.languages import NARRATION_LANGUAGES, checked_languages, narration_language
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage
from sites_data.schema import HUMAN_LANGUAGES


def test_every_language_has_every_narration_column() -> None:
    assert list(NARRATION_LANGUAGES) == list(LANGUAGE_CODES)
    for language in NARRATION_LANGUAGES.values():
        for column in fields(language):
            if column.name != "mms":
                assert getattr(language, column.name), (language.code, column.name)
        assert set(language.translate_from) <= set(HUMAN_LANGUAGES) - {language.code}


def test_an_unknown_language_lists_the_supported_ones() -> None:
    with pytest.raises(UnsupportedLanguage) as error:
        narration_language("xx")
    assert str(error.value) == (
        "unknown language 'xx'; the supported ones are vi, en, zh, ko, ja, fr, ru, de"
    )
    assert checked_languages(None) == list(LANGUAGE_CODES)
    assert checked_languages(["de", "vi"]) == ["vi", "de"]
