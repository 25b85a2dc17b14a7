"""The tourists' evaluation set (bot/eval/tourists) stays apart from the training data and
names only what the knowledge base has."""

import re
from pathlib import Path
from typing import Any

import yaml

from sites_data.files import read_site_files
from sites_data.places import place_keys
from sites_data.region import festivals, outside_places
from sites_data.textnorm import fold

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "bot" / "eval" / "tourists"
TRAINING = ROOT / "bot" / "data"
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _training_phrases() -> set[str]:
    phrases = set()
    for path in TRAINING.rglob("*.yml"):
        document = yaml.safe_load(path.read_text("utf-8")) or {}
        for block in document.get("nlu", []):
            if "intent" not in block:
                continue  # lookup tables and synonyms: names, not phrases
            for line in str(block.get("examples", "")).splitlines():
                phrases.add(fold(_ENTITY.sub(r"\1", line.strip().removeprefix("- "))))
    return phrases - {""}


def _evaluation_items() -> list[dict[str, Any]]:
    questions = yaml.safe_load((EVAL / "questions.yml").read_text("utf-8"))
    conversations = yaml.safe_load((EVAL / "conversations.yml").read_text("utf-8"))
    turns = [turn for conversation in conversations for turn in conversation["turns"]]
    return [*questions, *turns]


def test_the_set_is_large_enough_in_every_language() -> None:
    questions = yaml.safe_load((EVAL / "questions.yml").read_text("utf-8"))
    conversations = yaml.safe_load((EVAL / "conversations.yml").read_text("utf-8"))
    assert len(questions) >= 400
    assert len(conversations) >= 40
    for lang in ("vi", "en", "zh", "ko", "ja", "fr", "ru", "de"):
        assert sum(item["lang"] == lang for item in questions) >= 40, lang


def test_no_evaluation_phrase_is_in_the_training_data() -> None:
    training = _training_phrases()
    assert len(training) > 1000  # the phrases were read
    items = _evaluation_items()
    leaked = [item["text"] for item in items if fold(item["text"]) in training]
    leaked += [
        earlier
        for item in items
        for earlier in item.get("context") or []
        if fold(earlier) in training
    ]
    assert leaked == []


def test_every_expected_answer_names_what_the_knowledge_base_has() -> None:
    sites = {site.key for site in read_site_files()}
    places = place_keys() | {place.key for place in outside_places()}
    known_festivals = {festival.key for festival in festivals()}
    unknown = []
    for item in _evaluation_items():
        expect = item["expect"]
        named = [
            *((key, sites) for key in (expect.get("site"), expect.get("other_site"))),
            (expect.get("place"), places),
            (expect.get("festival"), known_festivals),
        ]
        unknown += [(item["text"], key) for key, known in named if key and key not in known]
    assert unknown == []
