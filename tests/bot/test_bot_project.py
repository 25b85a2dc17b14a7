"""The Rasa project as data: every response, intent and word in all eight languages,
every response used, every action implemented."""

import re
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from bot.actions.wording import vocabulary
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import OpeningHours, Tickets

BOT_DIR = Path(__file__).parents[2] / "bot"
DOMAIN: dict[str, Any] = yaml.safe_load((BOT_DIR / "domain.yml").read_text("utf-8"))
ACTIONS_SOURCE = "\n".join(path.read_text("utf-8") for path in (BOT_DIR / "actions").glob("*.py"))
# Each of these is one response per language, written in that language.
LANGUAGE_CHANGED = "utter_language_changed_"
# Responses Rasa's own actions send when the domain has them.
SENT_BY_RASA = {"utter_restart"}
MIN_EXAMPLES_PER_LANGUAGE = 15


def _dialogue_steps() -> set[str]:
    steps: set[str] = set()
    for name in ("rules.yml", "stories.yml"):
        document = yaml.safe_load((BOT_DIR / "data" / name).read_text("utf-8"))
        for flow in document.get("rules", []) + document.get("stories", []):
            steps.update(step["action"] for step in flow["steps"] if "action" in step)
    return steps


def _plain(example: str) -> str:
    """A training example without its entity markup: `[Ky Co](site)` → `Ky Co`."""
    return re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", example)


def _nlu_examples(lang: str) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in sorted((BOT_DIR / "data" / "nlu" / lang).glob("*.yml")):
        for block in yaml.safe_load(path.read_text("utf-8"))["nlu"]:
            lines = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
            examples.setdefault(block["intent"], []).extend(lines)
    return examples


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_speaks_every_language(name: str) -> None:
    variations = DOMAIN["responses"][name]
    if name.startswith(LANGUAGE_CHANGED):
        assert [v["custom"]["lang"] for v in variations] == [name.removeprefix(LANGUAGE_CHANGED)]
        return
    languages = [v["condition"][0]["value"] for v in variations]
    assert sorted(languages) == sorted(LANGUAGE_CODES)
    placeholders = {frozenset(re.findall(r"{(\w+)}", yaml.safe_dump(v))) for v in variations}
    assert len(placeholders) == 1, "every language must use the same placeholders"


def test_a_language_can_be_chosen_for_each_supported_one() -> None:
    chosen = {name.removeprefix(LANGUAGE_CHANGED) for name in DOMAIN["responses"]}
    assert set(LANGUAGE_CODES) <= chosen


def test_every_response_is_used_by_a_rule_or_an_action() -> None:
    steps = _dialogue_steps()
    families = {
        "utter_hours_": get_args(OpeningHours.model_fields["status"].annotation),
        "utter_tickets_": get_args(Tickets.model_fields["status"].annotation),
        LANGUAGE_CHANGED: LANGUAGE_CODES,
    }
    for prefix, values in families.items():
        assert f'f"{prefix}{{' in ACTIONS_SOURCE
        assert {f"{prefix}{value}" for value in values} <= set(DOMAIN["responses"])
    unused = [
        name
        for name in DOMAIN["responses"]
        if name not in steps
        and name not in SENT_BY_RASA
        and f'"{name}"' not in ACTIONS_SOURCE
        and not any(name.startswith(prefix) for prefix in families)
    ]
    assert unused == []


def test_every_response_an_action_sends_exists() -> None:
    named = set(re.findall(r'"(utter_\w+)"', ACTIONS_SOURCE))
    assert named - set(DOMAIN["responses"]) == set()


def test_every_domain_action_is_implemented_and_no_other() -> None:
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    assert set(executor.actions) == set(DOMAIN["actions"])


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_intent_has_training_phrases_in_every_language(lang: str) -> None:
    examples = _nlu_examples(lang)
    assert set(examples) == set(DOMAIN["intents"])
    thin = {intent: len(lines) for intent, lines in examples.items()}
    assert min(thin.values()) >= MIN_EXAMPLES_PER_LANGUAGE, thin
    phrases = [line for lines in examples.values() for line in lines]
    assert {line for line in phrases if phrases.count(line) > 1} == set()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_held_out_phrases_are_never_trained_on(lang: str) -> None:
    trained = {_plain(line) for lines in _nlu_examples(lang).values() for line in lines}
    document = yaml.safe_load((BOT_DIR / "eval" / f"{lang}.yml").read_text("utf-8"))
    held_out = {
        block["intent"]: [line[2:] for line in block["examples"].splitlines()]
        for block in document["nlu"]
    }
    assert set(held_out) == set(DOMAIN["intents"])
    assert {line for lines in held_out.values() for line in lines} & trained == set()


def test_the_vocabulary_has_every_language() -> None:
    words = vocabulary()
    assert set(words["days"]) == set(LANGUAGE_CODES)
    assert all(len(days) == 7 for days in words["days"].values())
    assert set(words["numbers"]) == set(LANGUAGE_CODES)
    for table in (
        *words["audiences"].values(),
        words["published"],
        words["festival_dates"],
        words["festival_no_dates"],
    ):
        assert set(table) == set(LANGUAGE_CODES)
    for interest in words["interests"].values():
        assert set(interest["shown"]) == set(LANGUAGE_CODES)
        assert set(interest["typed"]) == set(LANGUAGE_CODES)
    assert set(words["typed_languages"]) == set(LANGUAGE_CODES)
    assert set(words["typed_provinces"]) == {"Bình Định", "Ninh Thuận"}
