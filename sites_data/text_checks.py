"""Checks of the texts in each language: written in that language, not far shorter than the
English, and naming the site as the knowledge base names it in that language.

These read the words, so they are slower than the schema's checks (the language models take
a few seconds to load); ``guide sites check`` runs them, loading does not.
"""

import re

from sites_data.files import Problem
from sites_data.language_detection import detect_language
from sites_data.languages import LANGUAGE_BY_CODE
from sites_data.schema import HUMAN_LANGUAGES, Site, word_count

CHECKED_FIELDS = ("description", "narration")
# A translation reads at least this share of the English text's length.
MIN_LENGTH_RATIO = 0.5
# How much of one English word a unit of the language carries: Chinese and Japanese count
# characters, Korean words (it writes particles and endings together).
UNITS_PER_ENGLISH_WORD = {"zh": 1.3, "ja": 2.0, "ko": 0.65}
_PUNCTUATION_OR_SPACE = re.compile(r"[\s\W]", re.UNICODE)
_BEFORE_PARENTHESIS = re.compile("\\s*[(\uff08]")  # ASCII or full-width


def reading_length(text: str, lang: str) -> float:
    """The text's length in English words' worth."""
    cjk = lang in ("zh", "ja")
    units = len(_PUNCTUATION_OR_SPACE.sub("", text)) if cjk else word_count(text)
    return units / UNITS_PER_ENGLISH_WORD.get(lang, 1.0)


def _name_core(name: str) -> str:
    """ "Tours jumelles (Tháp Đôi)" → "Tours jumelles": the part a spoken text uses."""
    return _BEFORE_PARENTHESIS.split(name, maxsplit=1)[0].strip()


def text_problems(file: str, site: Site) -> list[Problem]:
    problems = []
    for field in CHECKED_FIELDS:
        texts = getattr(site, field)
        english = texts["en"].text
        for lang, text in texts.items():
            where = f"{field}.{lang}"
            found = detect_language(text.text, lang)
            if found != lang:
                problems.append(
                    Problem(
                        file,
                        where,
                        f"reads as {LANGUAGE_BY_CODE[found].english_name}, not "
                        f"{LANGUAGE_BY_CODE[lang].english_name}; put the text under its language",
                    )
                )
            if lang in HUMAN_LANGUAGES:
                continue
            length, expected = reading_length(text.text, lang), word_count(english)
            if length < MIN_LENGTH_RATIO * expected:
                problems.append(
                    Problem(
                        file,
                        where,
                        f"is far shorter than the English ({length:.0f} against {expected} "
                        "words' worth); translate all of it",
                    )
                )
            if field == "narration" and not _names_the_site(site, lang, text.text):
                problems.append(
                    Problem(
                        file,
                        where,
                        f"does not name the site as names.{lang} does ({site.names[lang]!r}) "
                        "or by one of its aliases; use the site's own name",
                    )
                )
    return problems


def _names_the_site(site: Site, lang: str, text: str) -> bool:
    name = site.names[lang]
    candidates = {name, _name_core(name), *site.aliases.get(lang, [])}
    folded = text.casefold()
    return any(candidate and candidate.casefold() in folded for candidate in candidates)
