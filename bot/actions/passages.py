"""Answers from a site's own texts, for the questions no intent answers ("can I swim there?",
"how many steps?", "is there wifi?").

Every sentence of every site's texts (description, narration, notes, the notes on hours,
tickets and getting there) is a passage, in each language the visitor may write (a text the
site lacks in that language comes in English, then Vietnamese). ``bm25s`` ranks the
passages of the site asked about for the question's words, the site's names and generic
words left out; a passage answers only when it has at least ``MIN_COVERAGE`` of the words
the question asks about. Otherwise the guide's texts do not say, and the assistant says so.

Words are the NLU's (``bot.segmenting``: jieba for Chinese, MeCab for Japanese), compared
folded (no case, no diacritics), reduced to their stem in English, French, German and
Russian (Snowball stemmers); a Korean word of three syllables or more by its first two, so
the particles and endings stuck to it do not hide it (수영할, 수영을 and 수영 are one word).
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import bm25s
import numpy as np
import Stemmer
from bm25s import stopwords as bm25s_stopwords

from bot import segmenting
from bot.actions import wording
from bot.actions.facilities import facilities_named, names_facility
from bot.actions.mentions import sound_key
from sites_data.places import places
from sites_data.schema import Localized, Site
from sites_data.store import Catalogue
from sites_data.textnorm import fold

_PARENTHESES = re.compile("[()\uff08\uff09]")
# The share of the question's words a passage must have to answer it.
MIN_COVERAGE = 0.4
CONCEPT_WEIGHT = 2
# A word of a question this long (as it sounds) inside a name of the site is that name.
MIN_NAME_SOUND = 4
MAX_PASSAGES = 2
STEMMERS = {"en": "english", "fr": "french", "de": "german", "ru": "russian"}
STOPWORDS = {
    "en": bm25s_stopwords.STOPWORDS_EN_PLUS,
    "fr": bm25s_stopwords.STOPWORDS_FRENCH,
    "de": bm25s_stopwords.STOPWORDS_GERMAN,
    "ru": bm25s_stopwords.STOPWORDS_RUSSIAN,
    "zh": bm25s_stopwords.STOPWORDS_CHINESE,
    "ko": bm25s_stopwords.STOPWORDS_KOREAN,
}
# After a full stop, or a Chinese or Japanese one (also full-width ! and ?).
_SENTENCE_END = re.compile("(?<=[.!?])\\s+|(?<=[\u3002\uff01\uff1f])")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Where a message with several questions is cut to search for each one.
_QUESTION_END = re.compile("[?!;\uff1f\uff01\uff1b\u3002]+|\\s[-\u2013\u2014]\\s")
KOREAN_STEM = 2  # syllables


@dataclass(frozen=True)
class Passage:
    site: str
    text: str
    lang: str  # the language it is in: the visitor's, or the nearest the site has


def tokens(text: str, lang: str) -> list[str]:
    """The words of ``text`` as the search compares them."""
    found: list[str] = []
    stop = stopwords(lang)
    for word in (fold(word) for word in segmenting.tokens(text)):
        if word in stop or (word.isdigit() and len(word) < 2):
            continue
        if _HANGUL.search(word):
            word = word[:KOREAN_STEM]
            if word in stop:
                continue
        found.append(word)
    stemmer = _stemmer(lang)
    return stemmer.stemWords(found) if stemmer else found


@cache
def stopwords(lang: str) -> frozenset[str]:
    extra = wording.vocabulary()["question_words"].get(lang, [])
    return frozenset(fold(word) for word in [*STOPWORDS.get(lang, ()), *extra])


@cache
def _stemmer(lang: str) -> "Stemmer.Stemmer | None":
    algorithm = STEMMERS.get(lang)
    return Stemmer.Stemmer(algorithm) if algorithm else None


def site_passages(site: Site, lang: str) -> Iterator[Passage]:
    """The sentences of the site's texts, each in ``lang`` or the nearest language it has."""
    texts: list[Localized] = [site.description, site.narration, site.notes]
    texts += [site.opening_hours.note, site.tickets.note]
    texts += [journey.note for journey in site.getting_there.journeys]
    texts += [note.text for note in site.getting_there.public_transport]
    for localized in texts:
        if not localized:
            continue
        text = wording.in_language(localized, lang)
        for line in text.text.splitlines():
            for sentence in _SENTENCE_END.split(line):
                if sentence.strip():
                    yield Passage(site.key, sentence.strip(), text.lang)


def passages_naming(site: Site, other: Site, lang: str) -> list[Passage]:
    """The sentences of ``site``'s texts that name ``other`` ("about eight kilometres to the
    north lies Vĩnh Hy Bay"), at most ``MAX_PASSAGES``."""
    named = []
    for passage in site_passages(site, lang):
        names = [other.names[passage.lang], *other.aliases.get(passage.lang, [])]
        names += [other.names["vi"], *other.aliases["vi"]]
        parts = {fold(part) for name in names for part in _PARENTHESES.split(name)}
        text = fold(passage.text)
        if any(len(part) >= MIN_NAME_SOUND and part in text for part in parts):
            named.append(passage)
    return named[:MAX_PASSAGES]


class PassageIndex:
    """All sites' passages in one language, ranked with BM25 (bm25s)."""

    def __init__(self, sites: Iterable[Site], lang: str) -> None:
        self.lang = lang
        self.passages = [passage for site in sites for passage in site_passages(site, lang)]
        words = [_with_characters(tokens(passage.text, lang)) for passage in self.passages]
        self._tokens = [set(passage_words) for passage_words in words]
        self._bm25 = bm25s.BM25()
        self._bm25.index(words, show_progress=False)

    def answer(self, site: Site, question: str) -> list[Passage]:
        """The passages of ``site`` that carry most of the question (the most of it, then
        the best BM25 score), in text order.

        Each word asked stands for its concept ("tall" for every word of height), and a
        passage carries it when it has any of the concept's words; the concepts of
        vocabulary.yml count ``CONCEPT_WEIGHT`` times a word of no concept ("how many
        *steps* to the big Buddha")."""
        words = set(tokens(question, self.lang)) - _name_tokens(site, self.lang)
        asked = {concept_of(word, self.lang) for word in words}
        if not asked:
            return []
        mask = np.array([passage.site == site.key for passage in self.passages], dtype=float)
        if not mask.any():
            return []
        query = sorted(set().union(*asked))
        scores = self._bm25.get_scores(query, weight_mask=mask)
        weights = {concept: _weight(concept, self.lang) for concept in asked}
        total = sum(weights.values())
        ranked = []
        for index in np.flatnonzero(scores > 0):
            carried = sum(w for concept, w in weights.items() if concept & self._tokens[index])
            if carried / total >= MIN_COVERAGE:
                ranked.append((carried, float(scores[index]), int(index)))
        chosen = [index for _, _, index in sorted(ranked, reverse=True)[:MAX_PASSAGES]]
        return [self.passages[index] for index in sorted(chosen)]


def asked_words(site: Site, question: str, lang: str) -> set[str]:
    """The words of ``question`` beyond the names of the site, of towns and generic words:
    none for "Kỳ Co?" or "the twin towers in Quy Nhơn"."""
    words = set(tokens(question, lang)) - _name_tokens(site, lang) - _town_words(lang)
    # Words that sound like part of the site's or a town's name (키코 for 끼꼬, Куинене for
    # Куинён): a name as typed.
    site_names = [sound_key(name) for name in [*site.names.values(), *site.all_aliases()]]
    names = [*site_names, *_town_sounds()]
    return {
        word
        for word in words
        if len(sound_key(word)) < MIN_NAME_SOUND or not any(sound_key(word) in n for n in names)
    }


def _town_names() -> list[str]:
    return [name for place in places() for name in [*place.names.values(), *place.all_aliases()]]


@cache
def _town_words(lang: str) -> frozenset[str]:
    """The words of every town's names, as ``tokens`` makes them in ``lang``."""
    return frozenset(token for town in _town_names() for token in tokens(town, lang))


@cache
def _town_sounds() -> tuple[str, ...]:
    return tuple(sound_key(town) for town in _town_names())


@cache
def topic_words(topic: str, lang: str) -> frozenset[str]:
    """vocabulary.yml's ``topic_words`` of ``topic`` (hours, tickets) as ``tokens`` makes them."""
    words = wording.vocabulary()["topic_words"][topic]
    return frozenset(token for word in words for token in tokens(str(word), lang))


def _with_characters(words: list[str]) -> list[str]:
    """A passage's words, and the Chinese characters of each (jieba keeps 塔高 and 二十米 as
    words: a question's 高 or 米 is still in them)."""
    return words + [char for word in words if len(word) > 1 for char in _HAN.findall(word)]


def asks_concept(word: str, lang: str, besides: Iterable[str] = ()) -> bool:
    """Whether ``word`` (as ``tokens`` makes it) is in one of vocabulary.yml's concepts
    other than those named in ``besides``."""
    names = list(wording.vocabulary()["question_concepts"])
    skipped = set(besides)
    return any(
        word in group
        for name, group in zip(names, concepts(lang), strict=True)
        if name not in skipped
    )


def _weight(concept: frozenset[str], lang: str) -> int:
    return CONCEPT_WEIGHT if concept in concepts(lang) else 1


def concept_of(word: str, lang: str) -> frozenset[str]:
    """The words (as compared) of the concept ``word`` belongs to, or the word alone."""
    return next((group for group in concepts(lang) if word in group), frozenset({word}))


@cache
def concepts(lang: str) -> tuple[frozenset[str], ...]:
    """vocabulary.yml's ``question_concepts``, each as the words ``tokens`` makes of it."""
    groups = wording.vocabulary()["question_concepts"].values()
    return tuple(
        frozenset(token for word in group for token in tokens(str(word), lang)) for group in groups
    )


def _name_tokens(site: Site, lang: str) -> set[str]:
    """The words of the site's names, and the generic place words of ``lang``: they say
    nothing asked. (Aliases keep their words: "Mũi Dinh lighthouse" names the site, but
    "lighthouse" in a question is what is asked.)"""
    generic = wording.vocabulary()["generic_place_words"][lang]
    return {token for text in [*site.names.values(), *generic] for token in tokens(text, lang)}


_indexes: dict[str, tuple[Catalogue, PassageIndex]] = {}


def passage_index(catalogue: Catalogue, lang: str) -> PassageIndex:
    """The passage index for this catalogue in ``lang`` (rebuilt when the catalogue changes)."""
    cached = _indexes.get(lang)
    if cached is None or cached[0] is not catalogue:
        cached = (catalogue, PassageIndex(catalogue.sites.values(), lang))
        _indexes[lang] = cached
    return cached[1]


def find_passages(catalogue: Catalogue, site: Site, question: str, lang: str) -> list[Passage]:
    """Passages of ``site`` that answer ``question``, searched in the visitor's language;
    a message with several questions ("How tall is it? Is the climb hard?") is searched for
    each of them. A question about a facility takes only passages that name it."""
    index = passage_index(catalogue, lang)
    parts = [part for part in _QUESTION_END.split(question) if part.strip()]
    found: list[Passage] = []
    for part in parts if len(parts) > 1 else [question]:
        found += [passage for passage in index.answer(site, part) if passage not in found]
    # A facility asked about (parking, toilets) is answered only by a passage naming it.
    facilities = facilities_named(question, lang)
    found = [
        passage
        for passage in found
        if all(names_facility(passage.text, passage.lang, facility) for facility in facilities)
    ]
    return found[: MAX_PASSAGES * 2]
