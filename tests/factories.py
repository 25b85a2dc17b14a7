"""Valid site documents for tests, built from plain data (no database, no files)."""

import copy
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk.interfaces import Tracker

from sites_data.schema import Site

_SENTENCE_VI = "Đây là một câu thuyết minh mẫu để kiểm tra độ dài của bài. "
_SENTENCE_EN = "This is a sample narration sentence used to test the length rule. "


def _words(sentence: str, count: int) -> str:
    words = (sentence * (count // len(sentence.split()) + 1)).split()
    return " ".join(words[:count])


def site_document(key: str = "test-tower", **overrides: Any) -> dict[str, Any]:
    """A complete, valid site document; ``overrides`` replace top-level fields."""
    document: dict[str, Any] = {
        "key": key,
        "category": "cham_tower",
        "names": {
            "vi": "Tháp Thử Nghiệm",
            "en": "Test Tower",
            "zh": "测试塔",
            "ko": "테스트 탑",
            "ja": "テストタワー",
            "fr": "Tour d'essai",
            "ru": "Тестовая башня",
            "de": "Testturm",
        },
        "aliases": {
            "vi": ["Thap Thu Nghiem"],
            "en": ["Trial Tower"],
            "zh": ["试验塔"],
            "ko": ["시험탑"],
            "ja": ["試験塔"],
            "fr": ["Tour test"],
            "ru": ["Пробная башня"],
            "de": ["Probeturm"],
        },
        "province": {"current": "Gia Lai", "former": "Bình Định", "former_district": "Quy Nhơn"},
        "address": {
            "vi": {"text": "Quy Nhơn", "origin": "human"},
            "en": {"text": "Quy Nhơn", "origin": "human"},
        },
        "location": {"lat": 13.78, "lon": 109.21},
        "opening_hours": {
            "status": "regular",
            "periods": [{"days": ["mon", "tue"], "opens": "07:00", "closes": "17:00"}],
        },
        "tickets": {
            "status": "priced",
            "currency": "VND",
            "as_of": "2025-01-01",
            "prices": [{"audience": "adult", "amount": 20000}],
        },
        "description": {
            "vi": {"text": "Một tháp để kiểm thử.", "origin": "human"},
            "en": {"text": "A tower for tests.", "origin": "human"},
        },
        "narration": {
            "vi": {"text": _words(_SENTENCE_VI, 180), "origin": "human"},
            "en": {"text": _words(_SENTENCE_EN, 180), "origin": "human"},
        },
        "related": [],
        "sources": [{"url": "https://example.org/test-tower", "title": "Test source"}],
        "verified": {"date": "2026-11-23", "method": "Made for tests."},
        "notes": {},
    }
    document.update(copy.deepcopy(overrides))
    return document


def human_texts(**texts: str) -> dict[str, dict[str, str]]:
    """``{"en": {"text": …, "origin": "human"}}`` for each language given."""
    return {lang: {"text": text, "origin": "human"} for lang, text in texts.items()}


def make_site(key: str = "test-tower", **overrides: Any) -> Site:
    return Site.model_validate(site_document(key, **overrides))


def write_site_file(folder: Path, document: dict[str, Any], name: str | None = None) -> Path:
    path = folder / (name or f"{document['key']}.yaml")
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# --- The assistant: conversation trackers as Rasa sends them to the action server ---


def make_tracker(
    text: str = "",
    intent: str = "",
    entities: dict[str, str] | None = None,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    earlier: list[dict[str, Any]] | None = None,
    this_turn: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text``, followed by the events of ``this_turn``."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": name, "value": value} for name, value in (entities or {}).items()],
        "metadata": metadata or {},
    }
    message = {"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}
    return Tracker(
        sender_id="visitor-1",
        slots={"language": "en", "site": None, "pending_topic": None, **(slots or {})},
        latest_message=latest,
        events=[*(earlier or []), message, *(this_turn or [])],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
