"""Proper names kept out of the model's reach: site names and Cham names and terms.

The glossary is built from the knowledge base. A site's name in the source language is
replaced by its name in the target language (both written by people). Other names and
terms (Po Klong Garai, Katê, Panduranga, Chok Hala…) are found where the Vietnamese and
English narrations of a site share them word for word; they stay as they are.

Before translation each name becomes a numbered placeholder such as ``[1]``, which models
copy through; afterwards the placeholders become the names again. When a model drops or
repeats a placeholder, the sentence is translated in pieces around the names instead, so
a name is never lost or translated.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sites_data.schema import Site

_WORD = re.compile(r"[^\W_][\w'\u2019-]*")
_PLACEHOLDER = re.compile(r"\[\s*(\d+)\s*\]")
MIN_TERM_CHARS = 3


def _capitalised_runs(text: str) -> set[str]:
    """Runs of capitalised words separated by single spaces: "Po Klong Garai", "Katê"."""
    runs: set[str] = set()
    current: list[re.Match[str]] = []

    def close() -> None:
        if current:
            runs.add(text[current[0].start() : current[-1].end()])
            current.clear()

    for word in _WORD.finditer(text):
        joined = not current or text[current[-1].end() : word.start()] == " "
        if word.group(0)[0].isupper() and joined:
            current.append(word)
        else:
            close()
            if word.group(0)[0].isupper():
                current.append(word)
    close()
    return runs


def _contains_word(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


def shared_names(site: Site) -> set[str]:
    """Names the Vietnamese and English narrations of a site both write the same way."""
    english, vietnamese = site.narration["en"].text, site.narration["vi"].text
    return {
        run
        for run in _capitalised_runs(english)
        if len(run) >= MIN_TERM_CHARS and _contains_word(vietnamese, run)
    }


@dataclass(frozen=True)
class Glossary:
    """Source term → the text that must stand in the translation."""

    terms: dict[str, str]

    @classmethod
    def build(cls, site: Site, all_sites: Iterable[Site], src: str, tgt: str) -> "Glossary":
        terms = {name: name for name in shared_names(site)}
        for other in all_sites:
            if src in other.names and tgt in other.names:
                terms[other.names[src]] = other.names[tgt]
        return cls(terms)

    def protect(self, sentence: str) -> tuple[str, list[str]]:
        """The sentence with each name replaced by ``[n]``, and the names in order."""
        found: list[str] = []
        pattern = self._pattern()
        if pattern is None:
            return sentence, found

        def placeholder(match: re.Match[str]) -> str:
            found.append(self.terms[match.group(0)])
            return f"[{len(found)}]"

        return pattern.sub(placeholder, sentence), found

    def _pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        longest_first = sorted(self.terms, key=len, reverse=True)
        return re.compile("|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term in longest_first))


def restore(translation: str, names: list[str]) -> str | None:
    """The translation with placeholders turned back into names, or None when the model lost
    or repeated one."""
    numbers = [int(number) for number in _PLACEHOLDER.findall(translation)]
    if sorted(numbers) != list(range(1, len(names) + 1)):
        return None
    return _PLACEHOLDER.sub(lambda match: names[int(match.group(1)) - 1], translation)


def pieces(protected: str) -> list[str]:
    """A protected sentence cut at its placeholders: text, ``[1]``, text, ``[2]``…"""
    return [part for part in re.split(r"(\[\d+\])", protected) if part.strip()]


def translate_around_names(
    protected: str, names: list[str], translate: Callable[[list[str]], list[str]], glue: str
) -> str:
    """Translate the text between the names piece by piece, keeping the names as they are."""
    parts = pieces(protected)
    texts = [part for part in parts if not _PLACEHOLDER.fullmatch(part) and _WORD.search(part)]
    translated = iter(translate(texts))
    out: list[str] = []
    for part in parts:
        placeholder = _PLACEHOLDER.fullmatch(part)
        if placeholder:
            out.append(names[int(placeholder.group(1)) - 1])
        elif _WORD.search(part):
            out.append(next(translated).strip())
        else:
            out.append(part.strip())
    return glue.join(part for part in out if part)
