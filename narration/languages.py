"""How the narration speaks and translates each language, read from ``languages.yaml``."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sites_data.languages import LANGUAGE_CODES, checked_language

NARRATION_LANGUAGES_FILE = Path(__file__).with_name("languages.yaml")


@dataclass(frozen=True)
class NarrationLanguage:
    code: str
    translate_from: tuple[str, ...]
    nllb: str
    iso3: str
    mms: bool
    gtts: str
    sample: str
    # engine: voice, best first (the order ``auto`` tries the offline engines in)
    voices: dict[str, str] = field(default_factory=dict)

    def offline_voice(self, engine: str) -> str | None:
        """The voice an offline engine uses for this language, or None when it has none."""
        return self.voices.get(engine)


def _load() -> dict[str, NarrationLanguage]:
    entries = yaml.safe_load(NARRATION_LANGUAGES_FILE.read_text(encoding="utf-8"))
    languages = {}
    for entry in entries:
        entry["translate_from"] = tuple(entry["translate_from"])
        languages[entry["code"]] = NarrationLanguage(**entry)
    return languages


NARRATION_LANGUAGES: dict[str, NarrationLanguage] = _load()


def narration_language(code: str) -> NarrationLanguage:
    """The narration settings of a supported language; an unknown code lists the supported ones."""
    return NARRATION_LANGUAGES[checked_language(code)]


def checked_languages(codes: list[str] | None) -> list[str]:
    """The languages asked for (all of them when none), each checked, in the guide's order."""
    if not codes:
        return list(LANGUAGE_CODES)
    for code in codes:
        narration_language(code)
    return [code for code in LANGUAGE_CODES if code in codes]
