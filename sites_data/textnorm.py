"""Folding text so that searches ignore case, width and Vietnamese diacritics."""

import re
import unicodedata

# Marks are dropped only after Latin and Cyrillic letters: in Japanese the
# voicing marks change the word (か/が), and Hangul must stay composed.
_LAST_FOLDED_CODEPOINT = 0x052F
# Separators: white space, punctuation, dashes (\u2013 \u2014), CJK brackets and stops.
_SPACES = re.compile(r"[\s\-\u2013\u2014_.,;:!?'\"()\uff08\uff09\u300c\u300d\u3001\u3002\u00b7/]+")


def strip_marks(text: str) -> str:
    """Remove accents and tone marks from Latin and Cyrillic letters ('Tháp Đôi' → 'Thap Doi')."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    kept: list[str] = []
    base = 0
    for char in decomposed:
        if unicodedata.combining(char):
            if base > _LAST_FOLDED_CODEPOINT:
                kept.append(char)
            continue
        base = ord(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text: str) -> str:
    """The form names are compared in: no marks, lower case, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", strip_marks(text).casefold()).strip()
