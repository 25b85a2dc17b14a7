"""The words of a text in any of the guide's languages, with where each one stands.

Chinese and Japanese are written without spaces, so their words come from a segmenter
with a dictionary: jieba for Chinese, MeCab (fugashi) with the UniDic dictionary that
the ``unidic-lite`` package carries for Japanese. A run of Chinese characters is
Japanese when the text has kana anywhere, Chinese otherwise. Every other script
(Vietnamese, Hangul, Cyrillic, the Latin of the European languages) is split at spaces
and punctuation, keeping diacritics and combining marks inside the words.

The Rasa pipeline (``bot.components.script_tokenizer``, Python 3.10) and the action
server (Python 3.11) both use it, so it imports neither Rasa nor the guide.
"""

import logging
import re
import shlex
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# Kana and Chinese characters (the common block, extension A, the compatibility block,
# the supplementary planes) with the iteration and closing marks Japanese writes with them.
_CJK = re.compile(
    "[\u3005\u3006\u3007\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)


class Word(NamedTuple):
    """A word and where it stands in the text: ``text[start:end] == word.text``."""

    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text`` in order, without spaces and punctuation."""
    japanese = _KANA.search(text) is not None
    found: list[Word] = []
    position = 0
    for run in _CJK.finditer(text):
        found += _spaced_words(text, position, run.start())
        segment = _japanese_words if japanese else _chinese_words
        found += [
            Word(word, run.start() + start, run.start() + end)
            for word, start, end in segment(run.group())
            # The katakana middle dot (・) between the parts of a foreign name.
            if any(_is_word_character(char) for char in word)
        ]
        position = run.end()
    found += _spaced_words(text, position, len(text))
    return found


def tokens(text: str) -> list[str]:
    """The words of ``text``, lower-cased: what a search index or a word count compares."""
    return [word.text.lower() for word in words(text)]


def _is_word_character(char: str) -> bool:
    # Letters, digits and combining marks, so that Vietnamese typed in decomposed form
    # ("a" followed by a combining acute) stays one word.
    return unicodedata.category(char)[0] in "LNM"


def _spaced_words(text: str, start: int, end: int) -> list[Word]:
    found: list[Word] = []
    word_start: int | None = None
    for index in range(start, end):
        inside = _is_word_character(text[index])
        if inside and word_start is None:
            word_start = index
        elif not inside and word_start is not None:
            found.append(Word(text[word_start:index], word_start, index))
            word_start = None
    if word_start is not None:
        found.append(Word(text[word_start:end], word_start, end))
    return found


def _chinese_words(run: str) -> list[tuple[str, int, int]]:
    return list(_jieba().tokenize(run))


def _japanese_words(run: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    position = 0
    for node in _mecab()(run):
        surface: str = node.surface
        start = run.find(surface, position)
        if not surface or start < 0:
            continue
        position = start + len(surface)
        found.append((surface, start, position))
    return found


@cache
def _jieba() -> Any:
    """jieba's segmenter, its dictionary read once per process (about a second)."""
    import jieba

    # jieba announces on standard error how it builds and caches its prefix dictionary.
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    return segmenter


@cache
def _mecab() -> Any:
    """MeCab with the UniDic dictionary of ``unidic-lite``, loaded once per process."""
    import fugashi
    import unidic_lite

    # Named, so that neither the full ``unidic`` package nor a system mecabrc is used.
    dictionary = Path(unidic_lite.DICDIR)
    return fugashi.Tagger(
        f"-d {shlex.quote(str(dictionary))} -r {shlex.quote(str(dictionary / 'mecabrc'))}"
    )
