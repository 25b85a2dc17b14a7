"""What a visitor's message names: the guide's sites, the places visitors come from, places
outside the area and the provinces, written the way tourists write them.

Every name and alias of the knowledge base is compared by how it sounds in Latin letters
(``sound_key``): Chinese characters become pinyin, Hangul and kana their romanisation,
Cyrillic its transliteration; case, diacritics, spaces, middle dots and long-vowel marks go,
and doubled letters count once. So 奇可海滩 is 奇科海滩, 뽀클롱가라이탑 is 포끌롱가라이 탑 and
ポー・クローン・ガライ is ポークロンガライ. A name is found inside the message with a few
letters' tolerance, so a city written before it or a generic word after it ("퀴논 쌍탑",
"Ky Co beach") does not hide it; each name also counts without its generic words
(``generic_place_words`` in vocabulary.yml), so "키코에서" finds 끼꼬 해변. Names written in
Latin or Cyrillic letters must cover whole words of the message, and never only words of
the training phrases ("can a" is not Cà Ná).
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from bot.actions.wording import vocabulary
from sites_data.places import Place, places, provinces
from sites_data.region import OutsidePlace, festivals, outside_places
from sites_data.schema import Site
from sites_data.textnorm import fold

# Names shorter than this (as sound keys) match only exactly; shorter than the minimum, never.
MIN_KEY = 4
FUZZY_KEY = 7
# A Latin name without its generic words must keep this many letters ("Cù Lao Xanh" is not
# found in "xanh", green).
MIN_LATIN_CORE = 6
# ...and this many to count even when its words are ordinary words ("hàn mặc tử").
STRONG_CORE = 8
# A whole name this long, found approximately with its words where the message's words
# meet, counts even when they are ordinary words ("в музее Биньдинь": музее for музей).
LONG_APPROXIMATE = 10
# A name this long may end inside the message's word, by one of these many letters.
MIN_INFLECTED = 5
INFLECTION = (1, 2)
# A Chinese, Japanese or Korean name without its generic words must keep two characters
# (铜塔 without 塔 would be found in 直通).
MIN_CJK_CORE = 2
# How close a stretch of the message must sound to a long name (rapidfuzz, 0–100).
MIN_SIMILARITY = 88.0
# Messages whose names are kept found (per name finder).
FOUND_CACHE = 1024
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
# Chinese characters, kana, Hangul (and their half- and full-width forms).
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\uffdc]"
)
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# Runs of one script inside a word: "Ca Na盐田" is the words "Ca", "Na" and "盐田".
_SCRIPT_RUNS = re.compile(
    "[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+"
    "|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+"
    "|[^\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+"
)
# Parentheses, also the full-width ones Chinese and Japanese names use.
_PARENTHESES = re.compile("[()\uff08\uff09]")


class Kind(StrEnum):
    SITE = "site"
    PLACE = "place"  # a city centre, airport or station (places.yaml)
    OUTSIDE = "outside"  # a place outside the area (outside.yaml)
    PROVINCE = "province"  # a province, as Vietnamese writes it (provinces.yaml)
    FESTIVAL = "festival"  # a festival (festivals.yaml)


@dataclass(frozen=True)
class Mention:
    kind: Kind
    key: str
    start: int  # where it begins in the message's sound key: mentions come in message order
    length: int
    similarity: float
    # The letters it matches less those it misses: a long name found approximately
    # (波格朗加莱塔, 16 letters, one off) outweighs a short one found exactly inside it (嘉莱).
    weight: float = 0.0


def sound_key(text: str) -> str:
    """How ``text`` sounds in plain Latin letters, without spaces: 'Kỳ Co' → 'kyco'."""
    letters = _NOT_LETTERS.sub("", anyascii(fold(text)).lower())
    return _DOUBLED.sub(r"\1", letters)


@dataclass(frozen=True)
class _Name:
    kind: Kind
    key: str
    sound: str
    whole_words: bool  # written in Latin or Cyrillic letters: must cover whole words
    # A part of a name (without its generic words, or in parentheses): weaker than a name.
    stripped: bool = False
    # Where the name's words meet, in its sound ("Ca Na": 2): the message's words must meet
    # there too for an exact match of ordinary words to count ("can a" is not "Ca Na").
    joints: tuple[int, ...] = ()
    script: str = ""  # "hangul" or "han" (Chinese characters, kana) for the other names
    surface: str = ""  # as written (folded), for the short names in Chinese characters


class _Message:
    """A message's sound key, where its words begin and end, and which are ordinary words."""

    def __init__(self, text: str, ordinary: frozenset[str]) -> None:
        self.folded = fold(text)
        self.sound = ""
        self.bounds = {0}
        self.ordinary_spans: list[tuple[int, int]] = []
        # Per letter of the sound: the script of its word ("hangul", "han" or "" for Latin…).
        self.scripts: list[str] = []
        words = (run for word in fold(text).split() for run in _SCRIPT_RUNS.findall(word))
        for word in words:
            sound = sound_key(word)
            if self.sound and sound[:1] == self.sound[-1:]:
                sound = sound[1:]  # doubled letters count once across words too
                self.bounds.add(len(self.sound) - 1)  # so the word also starts on the shared one
            if not sound:
                continue
            start = len(self.sound)
            self.sound += sound
            self.scripts += [_script(word)] * len(sound)
            self.bounds.add(len(self.sound))
            if word in ordinary:
                self.ordinary_spans.append((start, len(self.sound)))

    def near_bound(self, position: int, slack: bool) -> int | None:
        for candidate in (position, position - 1, position + 1) if slack else (position,):
            if candidate in self.bounds:
                return candidate
        return None

    def only_ordinary(self, start: int, end: int) -> bool:
        covered = [span for span in self.ordinary_spans if span[0] >= start and span[1] <= end]
        return sum(span[1] - span[0] for span in covered) >= end - start


class NameFinder:
    """Finds the names of ``sites``, the places, outside places and provinces in messages."""

    def __init__(self, sites: Iterable[Site], ordinary: frozenset[str]) -> None:
        self._ordinary = ordinary
        self._names, self._shared = _unique(_all_names(sites))
        # The actions of one message ask about it several times (a few ms each).
        self._found = lru_cache(maxsize=FOUND_CACHE)(self._find)

    def find(self, message: str) -> list[Mention]:
        """Everything ``message`` names, in the order it names them; of overlapping names the
        longer wins (a city inside a site's name is the site)."""
        return list(self._found(message))

    def _find(self, message: str) -> tuple[Mention, ...]:
        text = _Message(message, self._ordinary)
        if len(text.sound) < MIN_KEY:
            return ()
        found = [mention for name in self._names if (mention := _match(name, text))]
        # The heavier wins, then one found exactly, then the longer.
        found.sort(key=lambda m: (-m.weight, m.similarity < 100.0, -m.length, m.start))
        kept: list[Mention] = []
        for mention in found:
            end = mention.start + mention.length
            if all(end <= k.start or mention.start >= k.start + k.length for k in kept):
                kept.append(mention)
        return tuple(sorted(kept, key=lambda m: m.start))

    def shared(self, message: str) -> tuple[str, ...]:
        """The sites whose shared name the message has ("Cà Ná": the beach, the salt fields)."""
        text = _Message(message, self._ordinary)
        return next(
            (
                keys
                for sound, (keys, joints) in self._shared.items()
                if _matches_words(sound, joints, text)
            ),
            (),
        )

    def named_share(self, message: str) -> float:
        """How much of the message (as it sounds) is names: 1.0 for a bare "Po Klong Garai?"."""
        length = len(_Message(message, self._ordinary).sound)
        return sum(m.length for m in self.find(message)) / length if length else 0.0

    def first(self, message: str, kind: Kind) -> str | None:
        return next((m.key for m in self.find(message) if m.kind == kind), None)


def _match(name: _Name, text: _Message) -> Mention | None:
    size = len(name.sound)
    if size < MIN_KEY or size > len(text.sound) + 2:
        return None
    if size < FUZZY_KEY:
        start = text.sound.find(name.sound)
        while start >= 0:
            mention = _checked(name, text, start, start + size, 100.0)
            if mention is not None:
                return mention
            start = text.sound.find(name.sound, start + 1)
        return None
    alignment = fuzz.partial_ratio_alignment(name.sound, text.sound, score_cutoff=MIN_SIMILARITY)
    if alignment is None:
        return None
    return _checked(name, text, alignment.dest_start, alignment.dest_end, alignment.score)


def _matches_words(sound: str, joints: tuple[int, ...], text: _Message) -> bool:
    """Whether ``sound`` is exactly some whole words of the message, meeting where the
    name's words meet unless they are not only words of the training phrases ("can a" is
    not "Cà Ná")."""
    start = text.sound.find(sound)
    while start >= 0:
        end = start + len(sound)
        aligned = all(start + joint in text.bounds for joint in joints)
        whole = start in text.bounds and end in text.bounds
        if whole and (aligned or not text.only_ordinary(start, end)):
            return True
        start = text.sound.find(sound, start + 1)
    return False


def _checked(name: _Name, text: _Message, start: int, end: int, score: float) -> Mention | None:
    if not name.whole_words:
        # A name in Chinese, Japanese or Korean letters sounds only in words of its script
        # (卡德 is not the Korean 카드, card); a short name in Chinese characters must be
        # written with them (富吉 is not the fujin of 附近).
        same = all(script == name.script for script in text.scripts[start:end])
        short_han = name.script == "han" and len(name.sound) < FUZZY_KEY
        if not same or (short_han and name.surface not in text.folded):
            return None
        return _mention(name, start, end, score)
    if name.whole_words:
        # An approximate match may be a letter off at either end; an exact one may not.
        slack = score < 100.0
        snapped_start, snapped_end = text.near_bound(start, slack), text.near_bound(end, slack)
        if snapped_end is None and len(name.sound) >= MIN_INFLECTED:
            # The last word inflected (Фанранге, Куинёна): an ending of a letter or two.
            snapped_end = next((end + n for n in INFLECTION if end + n in text.bounds), None)
        if snapped_start is None or snapped_end is None:
            return None
        start, end = snapped_start, snapped_end
        # Ordinary words ("can a") are not a name unless they are one exactly ("tháp đôi").
        aligned = all(start + joint in text.bounds for joint in name.joints)
        weak = score < 100.0 or not aligned or (name.stripped and len(name.sound) < STRONG_CORE)
        inflected = aligned and not name.stripped and len(name.sound) >= LONG_APPROXIMATE
        # Festival names are words of the training phrases too ("when is Katê").
        if weak and not inflected and name.kind != Kind.FESTIVAL and text.only_ordinary(start, end):
            return None
    return _mention(name, start, end, score)


def _mention(name: _Name, start: int, end: int, score: float) -> Mention:
    matched = score / 100.0 * (len(name.sound) + end - start) / 2
    return Mention(name.kind, name.key, start, end - start, score, 2 * matched - len(name.sound))


def _surfaces(written: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each way of writing a name, and its parts in parentheses ('Tháp Đôi (Twin Towers)'),
    each with whether it is such a part (which ranks below a whole name)."""
    for surface in written:
        yield surface, False
        parts = [part for part in _PARENTHESES.split(surface) if part.strip()]
        if len(parts) > 1:
            yield from ((part, True) for part in parts)


def _with_other_town_names(
    surfaces: Iterable[tuple[str, bool]],
) -> Iterator[tuple[str, bool]]:
    """Each name, and the same name with the other ways of writing the town in it:
    "꾸이년 쌍탑" is also "퀴논 쌍탑", "Quy Nhơn Museum" also "Qui Nhon Museum"."""
    towns = [
        [*place.names.values(), *place.all_aliases()]
        for place in places()
        if place.kind == "city_centre"
    ]
    for surface, part in surfaces:
        yield surface, part
        for spellings in towns:
            for spelling in spellings:
                if len(spelling) > 1 and spelling in surface and spelling != surface:
                    yield from ((surface.replace(spelling, other), part) for other in spellings)


def _without_generic_words(surface: str) -> str:
    """A folded name without the words that say what kind of place it is."""
    latin, other = generic_place_words()
    core = latin.sub(" ", surface)
    for word in other:
        core = core.replace(word, " ")
    return core


@cache
def generic_words() -> frozenset[str]:
    """Words that say what kind of place it is ('tower', '탑', 'ビーチ'), folded."""
    typed = vocabulary()["generic_place_words"].values()
    return frozenset(fold(word) for words in typed for word in words)


@cache
def generic_place_words() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The generic words written in Latin or Cyrillic letters as one pattern of whole words,
    the others longest first."""
    words = generic_words()
    latin = sorted((w for w in words if not _CJK.search(w)), key=len, reverse=True)
    other = sorted((w for w in words if _CJK.search(w)), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, latin))})\b"), tuple(other)


def _all_names(sites: Iterable[Site]) -> Iterator[_Name]:
    groups: list[tuple[Kind, str, list[str]]] = []
    named: list[tuple[Kind, Site | Place | OutsidePlace]] = [
        *((Kind.SITE, site) for site in sites),
        *((Kind.PLACE, place) for place in places()),
        *((Kind.OUTSIDE, outside) for outside in outside_places()),
    ]
    for kind, thing in named:
        aliases = (alias for typed in thing.aliases.values() for alias in typed)
        groups.append((kind, thing.key, [*thing.names.values(), *aliases]))
    for festival in festivals():
        groups.append((Kind.FESTIVAL, festival.key, list(festival.names.values())))
    known = provinces()
    for province, names in known.names.items():
        groups.append((Kind.PROVINCE, province, [*names.values(), *known.typed.get(province, [])]))
    generic = generic_words() | {
        fold(word)
        for interest in vocabulary()["interests"].values()
        for typed in interest["typed"].values()
        for word in typed
    }
    for kind, key, written in groups:
        for surface, part in _with_other_town_names(_surfaces(written)):
            if fold(surface) in generic:
                continue  # "Cham towers" is not the name of one of them
            whole_words = not _CJK.search(surface)
            joints = _joints(surface) if whole_words else ()
            script = _script(surface)
            yield _Name(
                kind, key, sound_key(surface), whole_words, part, joints, script, fold(surface)
            )
            core_text = _without_generic_words(fold(surface))
            core = sound_key(core_text)
            long_enough = (
                len(core) >= (MIN_KEY if kind == Kind.FESTIVAL else MIN_LATIN_CORE)
                if whole_words
                else len(_CJK.findall(core_text)) >= MIN_CJK_CORE
            )
            if long_enough:
                yield _Name(kind, key, core, whole_words, True, script=script, surface=core_text)


def _script(text: str) -> str:
    """ "hangul", "han" (Chinese characters or kana) or "" (every other script)."""
    if _HANGUL.search(text):
        return "hangul"
    return "han" if _CJK.search(text) else ""


def _joints(surface: str) -> tuple[int, ...]:
    """Where the words of a name meet in its sound key."""
    joints, length = [], 0
    for word in fold(surface).split()[:-1]:
        length += len(sound_key(word))
        joints.append(length)
    return tuple(joints)


def _unique(
    names: Iterable[_Name],
) -> tuple[list[_Name], dict[str, tuple[tuple[str, ...], tuple[int, ...]]]]:
    """Each sound once per script, and the sounds two or more sites share (with their keys
    and where the words of the name meet).

    A full name outranks a part of one; a sound that two things share at the same rank
    names neither (the shared ones are kept apart, to ask which one is meant)."""
    owners: dict[tuple[str, bool], set[tuple[Kind, str]]] = {}
    first: dict[tuple[str, bool, bool, str], _Name] = {}
    for name in names:
        if len(name.sound) < MIN_KEY:
            continue
        owners.setdefault((name.sound, name.stripped), set()).add((name.kind, name.key))
        first.setdefault((name.sound, name.stripped, name.whole_words, name.script), name)
    full = {sound for sound, stripped in owners if not stripped}
    unique = [
        name
        for (sound, stripped, _, _), name in first.items()
        if len(owners[sound, stripped]) == 1 and not (stripped and sound in full)
    ]
    joints = {(name.sound, name.stripped): name.joints for name in first.values()}
    shared = {
        sound: (
            tuple(sorted(key for kind, key in owner if kind == Kind.SITE)),
            joints[sound, False],
        )
        for (sound, stripped), owner in owners.items()
        if not stripped and len({key for kind, key in owner if kind == Kind.SITE}) > 1
    }
    return unique, shared
