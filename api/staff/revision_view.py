"""A revision's changes as a staff member reads them: each field named as on the form, its
value before and after in words, and the words that changed marked (difflib, word by word).
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from api.staff.field_labels import LANGUAGE_NAMES, field_label
from api.staff.text import AdminText

# Leaf fields whose values are choices the form shows in words, by the key prefix of those words.
CHOICES = {
    "category": "category_",
    "opening_hours.status": "hours_",
    "tickets.status": "tickets_",
    "audience": "audience_",
    "origin": "origin_",
}


@dataclass(frozen=True)
class Piece:
    """A run of text, and whether it is what changed."""

    text: str
    changed: bool


@dataclass(frozen=True)
class ChangeView:
    label: str
    before: list[Piece]
    after: list[Piece]


def _choice(field: str, value: str, t: AdminText) -> str:
    for suffix, prefix in CHOICES.items():
        if field == suffix or field.endswith(f".{suffix}"):
            try:
                return t(f"{prefix}{value}")
            except KeyError:
                return value
    return value


def _period(period: dict[str, Any], t: AdminText) -> str:
    days = ", ".join(t(f"day_{day}") for day in period.get("days", []))
    return f"{days} {period.get('opens', '')}–{period.get('closes', '')}"


def _entry(field: str, entry: Any, t: AdminText) -> str:
    """One item of a list field: a period, a price, a source, or a plain text."""
    if not isinstance(entry, dict):
        return _choice(field, str(entry), t) if field.endswith("days") else str(entry)
    if "opens" in entry:
        return _period(entry, t)
    if "amount" in entry:
        audience = _choice("audience", str(entry.get("audience", "")), t)
        note = readable(f"{field}.note", entry.get("note"), t)
        return f"{audience}: {entry['amount']}" + (f" ({note})" if note else "")
    if "url" in entry:
        return f"{entry.get('title', '')} — {entry['url']}"
    return "; ".join(f"{name}: {readable(name, value, t)}" for name, value in entry.items())


def readable(field: str, value: Any, t: AdminText) -> str:
    """A field's value as text a person reads: no braces, no quotes, choices in words."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, str):
        return _choice(field, value, t)
    if isinstance(value, list):
        if field.endswith("days"):
            return ", ".join(_choice("days", day, t) for day in value)
        return "\n".join(_entry(field, entry, t) for entry in value)
    if isinstance(value, dict):
        if "text" in value:  # a text with its origin: the text is what a person reads
            origin = _choice("origin", str(value.get("origin", "")), t)
            return f"{value['text']}\n[{origin}]"
        return "\n".join(
            f"{LANGUAGE_NAMES.get(name, field_label(f'{field}.{name}', t))}: "
            f"{readable(f'{field}.{name}', inner, t)}"
            for name, inner in value.items()
            if inner not in (None, "", [], {})
        )
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def _pieces(text: str, changed: bool) -> list[Piece]:
    """A run of text; when it changed, the spaces around its words are not marked."""
    if not changed:
        return [Piece(text, False)]
    core = text.strip()
    if not core:
        return [Piece(text, True)]
    start = text.index(core)
    parts = [(text[:start], False), (core, True), (text[start + len(core) :], False)]
    return [Piece(part, flag) for part, flag in parts if part]


def word_diff(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """Both texts cut into pieces, the words only one of them has marked as changed."""
    old, new = _words(before), _words(after)
    old_pieces: list[Piece] = []
    new_pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        changed = tag != "equal"
        if old_end > old_start:
            old_pieces += _pieces("".join(old[old_start:old_end]), changed)
        if new_end > new_start:
            new_pieces += _pieces("".join(new[new_start:new_end]), changed)
    return old_pieces, new_pieces


def change_views(changes: list[dict[str, Any]], t: AdminText) -> list[ChangeView]:
    """Each change of a revision (``{"field", "before", "after"}``) ready to show."""
    views = []
    for change in changes:
        field = change["field"]
        before, after = word_diff(
            readable(field, change["before"], t), readable(field, change["after"], t)
        )
        views.append(ChangeView(field_label(field, t), before, after))
    return views


def action_words(action: str, t: AdminText) -> str:
    """What a revision did (``update``, ``restore 3``…) in words."""
    name, _, number = action.partition(" ")
    try:
        return t(f"revision_action_{name}", number=number)
    except KeyError:
        return action
