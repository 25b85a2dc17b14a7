"""The language table is complete: every language has every column."""

from dataclasses import fields

from sites_data.languages import LANGUAGES, fallback_chain


def test_the_first_set_of_languages() -> None:
    assert [language.code for language in LANGUAGES] == [
        "vi",
        "en",
        "zh",
        "ko",
        "ja",
        "fr",
        "ru",
        "de",
    ]


def test_every_language_has_every_column() -> None:
    for language in LANGUAGES:
        for column in fields(language):
            assert getattr(language, column.name), (language.code, column.name)


def test_fallback_goes_to_english_then_vietnamese() -> None:
    assert fallback_chain("ko") == ("ko", "en", "vi")
    assert fallback_chain("en") == ("en", "vi")
    assert fallback_chain("vi") == ("vi", "en")


def test_every_language_is_named_in_every_language() -> None:
    codes = {language.code for language in LANGUAGES}
    for language in LANGUAGES:
        assert set(language.names) == codes, language.code
    assert LANGUAGES[1].name_in("ko") == "영어"
