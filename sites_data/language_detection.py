"""Which of the guide's languages a visitor wrote in, offline.

lingua (restricted to the eight languages) decides most messages. Three things would
mislead it and are handled first: the names of the guide's places, which are the same
in every language ("Thap Doi", "Po Klong Garai") and are left out; other Vietnamese
names, whose diacritics would make a German sentence look Vietnamese; and Vietnamese
typed without diacritics, which lingua's Vietnamese model does not expect. Messages
too short or too mixed to tell keep the language the visitor's page is in, unless their
script tells (Hangul, kana, Cyrillic, Chinese characters: one language each among the
eight) or they are a greeting, thanks or farewell of one language ("hi", "Hallo!",
``short_words`` in ``languages.yaml``). A message that is only a name is in the language
that name belongs to ("Ky Co Strand" is German, "quy nhon twin towers" English) when it is
not a name in the page's language nor a Vietnamese name (written alike everywhere). The grammar
of a script decides a message that mixes in English words ("까나 비치 ticket 있어요?").
"""

import re
import unicodedata
from collections.abc import Collection, Mapping
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from sites_data.languages import LANGUAGE_CODES, LANGUAGES
from sites_data.textnorm import fold

# Below this confidence lingua's answer is a guess; the page's language is a better one.
MIN_CONFIDENCE = 0.4
# A one-word Latin message ("hello", "ok", "bye") is shared by too many languages.
MIN_CONFIDENCE_ONE_WORD = 0.8
# Two words ("Was ist") must be this clear to outvote the page's language.
MIN_CONFIDENCE_TWO_WORDS = 0.6
# The words around a Vietnamese name must say this clearly that they are foreign.
MIN_CONFIDENCE_AROUND_NAMES = 0.6
MIN_LETTERS_AROUND_NAMES = 6
# Share of words shaped like Vietnamese syllables for plain text to count as Vietnamese.
MIN_PLAIN_VIETNAMESE_SHARE = 0.75
MIN_PLAIN_VIETNAMESE_WORDS = 2

_WORDS = re.compile(r"[^\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
# Letters only Vietnamese uses among the eight languages (French and German share
# é è ê à â ô ù û ç and the umlauts, so those prove nothing).
_VIETNAMESE_LETTERS = frozenset("ăắằẳẵặấầẩẫậđếềểễệốồổỗộơớờởỡợưứừửữựáạảãíìỉĩịóòỏõọúủũụýỳỷỹỵẹẻẽ")
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx]"
_RHYMES = (
    "a|ac|ach|ai|am|an|ang|anh|ao|ap|at|au|ay|e|ec|ech|em|en|eng|enh|eo|ep|et|eu|"
    "i|ia|ich|iec|iem|ien|ieng|iep|iet|ieu|im|in|inh|ip|it|iu|o|oa|oac|oach|oai|oam|oan|"
    "oang|oanh|oao|oap|oat|oay|oc|oe|oen|oeo|oet|oi|om|on|ong|ooc|oong|op|ot|u|ua|uac|uan|"
    "uang|uat|uay|uc|ue|uech|uen|uenh|ui|um|un|ung|uo|uoc|uoi|uom|uon|uong|uop|uot|uou|up|"
    "ut|uu|uy|uya|uych|uyen|uyet|uynh|uyt|uyu|y|yen|yet|yeu"
)
_PLAIN_SYLLABLE = re.compile(f"(?:{_ONSET})?(?:{_RHYMES})")
# Vietnamese chat shorthand ("ko" không, "dc" được, "h" giờ, "ad" admin): Vietnamese words.
_VIETNAMESE_SHORTHAND = frozenset(
    {"ad", "ak", "bn", "dc", "đc", "h", "j", "k", "ko", "hok", "hk", "mik", "mk", "mn"}
    | {"nhiu", "nhieu", "ntn", "oke", "r", "sao", "ss", "tks", "vs", "z"}
)
# Said in every language before a greeting, thanks or farewell ("ok bye!").
_OK = frozenset({"ok", "okay", "oke", "oki"})
# Grammar, not names: hiragana is Japanese; Hangul words with a verb ending are Korean;
# Chinese particles and question words are Chinese; Russian function words are Russian.
_GRAMMAR = (
    (re.compile(r"[\u3040-\u309f]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]*(?:요|까|니다|죠|나요|세요)(?![\uac00-\ud7af])"), "ko"),
    (re.compile(r"[吗呢吧嗎么麼]|什么|怎么|哪里|多少|几点"), "zh"),
    (re.compile(r"(?<![\w])(?:где|как|что|это|есть|сколько|можно|и|в|на)(?![\w])", re.I), "ru"),
)
# French typography puts a space before ? ! : ; ("Po Rome ?").
_FRENCH_SPACING = re.compile(r"\w[ \u00a0\u202f][?!:;]")
# The Latin-script languages, English first (a name of several of them).
_LATIN_LANGUAGES = ("en", "vi", "fr", "de")
# Short English, French and German words that are also Vietnamese syllables ("the",
# "to", "la", "de"): they count for neither side.
_SHARED_WORD = re.compile(
    "a|am|an|at|be|can|da|de|do|go|he|i|in|it|le|la|ma|me|mit|my|no|on|so|that|the|to|tu|um|un|up"
)


@cache
def _short_words() -> dict[str, str]:
    """Each greeting, thanks or farewell that belongs to one language only → that language."""
    owners: dict[str, set[str]] = {}
    for language in LANGUAGES:
        for phrase in language.short_words:
            owners.setdefault(_phrase(_WORDS.findall(phrase)), set()).add(language.code)
    return {phrase: codes.pop() for phrase, codes in owners.items() if len(codes) == 1}


def _phrase(words: list[str]) -> str:
    return " ".join(word.lower() for word in words)


def _by_script(text: str, fallback: str) -> str | None:
    """The language a non-Latin script tells, when most of the letters are in it: among the
    guide's languages Hangul is Korean, kana Japanese, Cyrillic Russian, and Chinese
    characters without kana Chinese (or Japanese, on a Japanese page). With fewer letters
    than the Latin ones, only the script's grammar tells (English words in a Korean
    sentence; not a Chinese name in an English one)."""
    letters = sum(1 for char in text if char.isalpha())
    latin = len(_LATIN.findall(text))
    if not letters:
        return None
    if latin * 2 > letters:
        return next((code for grammar, code in _GRAMMAR if grammar.search(text)), None)
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _CYRILLIC.search(text):
        return "ru"
    if _HAN.search(text):
        return "ja" if fallback == "ja" else "zh"
    return None


@cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in LANGUAGE_CODES]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


def warm_up() -> None:
    """Load the language models now (a few seconds) rather than on a visitor's first message."""
    _detector()


def _without_place_names(
    words: list[str], place_names: Collection[str]
) -> tuple[list[str], list[str]]:
    """The words left once every known place name (folded) is taken out, and the names."""
    folded = [fold(word) for word in words]
    text = f" {' '.join(folded)} "
    keep = [True] * len(words)
    found = []
    for name in place_names:
        if f" {name} " not in text:
            continue
        found.append(name)
        parts = name.split()
        for start in range(len(folded) - len(parts) + 1):
            if folded[start : start + len(parts)] == parts:
                keep[start : start + len(parts)] = [False] * len(parts)
    return [word for word, kept in zip(words, keep, strict=True) if kept], found


def _language_of_names(
    text: str, names: list[str], place_names: Collection[str], fallback: str
) -> str:
    """The language of a message that is only names: the page's when they are names in
    it, Vietnamese names (written alike in every language) or no language's; else the one
    language they all share, English first among several."""
    owners = place_names if isinstance(place_names, Mapping) else {}
    shared: set[str] | None = None
    for name in names:
        langs = owners.get(name)
        if langs:
            shared = set(langs) if shared is None else shared & langs
    if not shared:
        return fallback
    if "fr" in shared and _FRENCH_SPACING.search(text):
        return "fr"
    if fallback in shared or "vi" in shared:
        return fallback
    latin = [code for code in _LATIN_LANGUAGES if code in shared]
    return latin[0] if latin else sorted(shared)[0]


def _has_vietnamese_letter(word: str) -> bool:
    return any(char in _VIETNAMESE_LETTERS for char in unicodedata.normalize("NFC", word.lower()))


def _is_plain_vietnamese(words: list[str]) -> bool:
    """Unaccented text whose words are nearly all Vietnamese syllables ('gio mo cua')."""
    if not all(word.isascii() for word in words):
        return False
    telling = [word.lower() for word in words if not _SHARED_WORD.fullmatch(word.lower())]
    shaped = [
        word for word in telling if _PLAIN_SYLLABLE.fullmatch(word) or word in _VIETNAMESE_SHORTHAND
    ]
    return len(shaped) >= MIN_PLAIN_VIETNAMESE_WORDS and len(
        shaped
    ) >= MIN_PLAIN_VIETNAMESE_SHARE * len(telling)


def _best_guess(text: str) -> tuple[str, float]:
    best = _detector().compute_language_confidence_values(text)[0]
    return best.language.iso_code_639_1.name.lower(), best.value


def _japanese_or_chinese(code: str, text: str, fallback: str) -> str:
    """Kanji without kana read as Chinese to lingua; a Japanese page says otherwise."""
    if code == "zh" and fallback == "ja" and not _KANA.search(text):
        return "ja"
    return code


def detect_language(text: str, fallback: str, place_names: Collection[str] = ()) -> str:
    """The code of the language ``text`` is written in, or ``fallback`` when unclear.

    ``place_names`` are folded names to leave out (``Catalogue.place_names``), with the
    languages each is a name in when known.
    """
    script = _by_script(text, fallback)
    if script is not None:
        return script
    words, names = _without_place_names(_WORDS.findall(text), place_names)
    if not words:
        return _language_of_names(text, names, place_names, fallback) if names else fallback
    short = _short_words().get(_phrase([word for word in words if word.lower() not in _OK]))
    if short is not None:
        return short
    # Mostly Latin letters (else the script would have told): words in another script are
    # names ("Where is 奇可海滩?"), which would pull lingua their way.
    words = [word for word in words if _LATIN.search(word)] or words
    named = [word for word in words if _has_vietnamese_letter(word)]
    if named:
        around = " ".join(word for word in words if word not in named)
        if len(around.replace(" ", "")) >= MIN_LETTERS_AROUND_NAMES:
            code, confidence = _best_guess(around)
            if code != "vi" and confidence >= MIN_CONFIDENCE_AROUND_NAMES:
                return _japanese_or_chinese(code, around, fallback)
        return "vi"
    if _is_plain_vietnamese(words):
        return "vi"
    remaining = " ".join(words)
    code, confidence = _best_guess(remaining)
    one_latin_word = len(words) == 1 and words[0].isascii()
    if one_latin_word:
        needed = MIN_CONFIDENCE_ONE_WORD
    else:
        needed = MIN_CONFIDENCE_TWO_WORDS if len(words) == 2 else MIN_CONFIDENCE
    if confidence < needed:
        return fallback
    return _japanese_or_chinese(code, remaining, fallback)
