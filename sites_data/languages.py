"""The table of supported languages, read from ``languages.yaml``."""

from dataclasses import dataclass
from pathlib import Path

import yaml

LANGUAGES_FILE = Path(__file__).with_name("languages.yaml")


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    qr_call_to_action: str  # printed under the QR code on a site's poster
    locale: str  # with a territory, for Open Graph's og:locale: vi_VN
    names: dict[str, str]  # this language's name as each language writes it
    thousands_separator: str  # between thousands in amounts: 20.000, 20,000, 20 000
    short_words: list[str]  # greetings, thanks, farewells: alone they tell the language

    def name_in(self, lang: str) -> str:
        """ "Korean" for ``en``, "한국어" for ``ko``: for notices that name the language."""
        return self.names[lang]


def _load_languages() -> tuple[Language, ...]:
    entries = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return tuple(Language(**entry) for entry in entries)


LANGUAGES: tuple[Language, ...] = _load_languages()
LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
LANGUAGE_BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
DEFAULT_LANGUAGE = "vi"


def supported_list() -> str:
    """The supported codes as a person reads them: ``vi, en, zh, …``."""
    return ", ".join(LANGUAGE_CODES)


class UnsupportedLanguage(ValueError):
    """A language code the guide does not speak, wherever it came from."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"unknown language {code!r}; the supported ones are {supported_list()}")


def checked_language(code: str) -> str:
    """``code`` when the guide speaks it; raises ``UnsupportedLanguage`` otherwise."""
    if code not in LANGUAGE_CODES:
        raise UnsupportedLanguage(code)
    return code


def fallback_chain(lang: str) -> tuple[str, ...]:
    """The languages to try, in order, for text a visitor asked for in ``lang``.

    English before Vietnamese: a foreign visitor is likelier to read English.
    """
    return tuple(dict.fromkeys((lang, "en", DEFAULT_LANGUAGE)))
