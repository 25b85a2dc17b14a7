"""Cutting a text into the sentences a model translates, and putting translations back."""

import re

# Where a sentence may end: . ! ? or …, perhaps closing a quote, then spaces.
_BOUNDARY = re.compile(r"[.!?…][\"\u201d\u2019)]?\s+")
_OPENING = '"\u201c\u2018('
# Languages written without spaces between sentences.
UNSPACED = ("zh", "ja")


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph: a new one starts with a capital or a digit."""
    flat = " ".join(paragraph.split())
    found, start = [], 0
    for boundary in _BOUNDARY.finditer(flat):
        following = flat[boundary.end() :].lstrip(_OPENING)[:1]
        if following.isupper() or following.isdigit():
            found.append(flat[start : boundary.end()].strip())
            start = boundary.end()
    found.append(flat[start:].strip())
    return [sentence for sentence in found if sentence]


def split(text: str) -> list[list[str]]:
    """Paragraphs of sentences."""
    return [sentences(paragraph) for paragraph in paragraphs(text)]


def join(translated: list[list[str]], lang: str) -> str:
    glue = "" if lang in UNSPACED else " "
    return "\n\n".join(glue.join(paragraph) for paragraph in translated)
