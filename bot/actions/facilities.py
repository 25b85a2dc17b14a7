"""Facilities a visitor asks about (parking, toilets, a cash machine, wifi, drones…).

A site's texts seldom mention them, and a question about one is not a question about the
site's prices or the way there even when it says "how much" or "car". Such a question is
answered from the site's texts only by a passage that names the facility; else the
texts don't say, and the staff see the question (vocabulary.yml's ``facilities``).
"""

import re
from functools import cache

from bot.actions import wording
from sites_data.textnorm import fold

# Latin and Cyrillic phrases are whole words; those of five letters or more may take an
# ending of up to three ("toilettes", "парковки"). Phrases in Chinese, Japanese and Korean
# match anywhere.
_WORD_SCRIPT = re.compile(r"[a-z\u00c0-\u024f\u0400-\u04ff]")
MIN_STEM = 5


def _alternative(phrase: str) -> str:
    if not _WORD_SCRIPT.match(phrase):
        return re.escape(phrase)
    ending = r"\w{0,3}" if len(phrase) >= MIN_STEM else ""
    return rf"(?<!\w){re.escape(phrase)}{ending}(?!\w)"


@cache
def _patterns(lang: str) -> dict[str, re.Pattern[str]]:
    patterns = {}
    for facility, by_language in wording.vocabulary()["facilities"].items():
        phrases = [fold(str(phrase)) for phrase in by_language.get(lang, [])]
        patterns[facility] = re.compile("|".join(map(_alternative, phrases)))
    return patterns


def facilities_named(text: str, lang: str) -> frozenset[str]:
    """The facilities ``text`` (in ``lang``, or with English words in it) names."""
    folded = fold(text)
    languages = {lang, "en"}
    return frozenset(
        facility
        for code in languages
        for facility, pattern in _patterns(code).items()
        if pattern.search(folded)
    )


def names_facility(text: str, lang: str, facility: str) -> bool:
    """Whether ``text``, written in ``lang``, names ``facility``."""
    return bool(_patterns(lang)[facility].search(fold(text)))
