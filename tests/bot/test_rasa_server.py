"""``bot.rasa_server`` does two of Rasa's steps once instead of on every message; they
must decide exactly as Rasa's own do. Run in .venv-rasa, next to Rasa's originals."""

import json
import subprocess
from typing import Any

import pytest

from bot.cli import RASA, rasa_environment

# Answers of an action server, valid and not, checked by Rasa's own check and by ours; and
# every event type name (and two that are not) resolved by Rasa's walk and by our table.
COMPARE = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses
from bot import rasa_server

rasa_validate, rasa_resolve = RemoteAction._validate_action_result, Event.resolve_by_type
rasa_server.apply()
action = RemoteAction("action_site_hours", None)
answers = [
    {"events": [{"event": "slot", "name": "site", "value": "thap-doi"}],
     "responses": [{"text": "Open 7:00-17:00", "custom": {"links": []}}]},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "value": "thap-doi"}]},
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": [1, 2]},
    {"responses": "not a list"},
]


def outcome(check, answer):
    try:
        return {"valid": check(action, answer)}
    except ValidationError as error:
        return {"error": error.message, "path": list(error.absolute_path)}


def name(event_class):
    return event_class.__name__ if event_class else None


def resolved(resolve, type_name):
    try:
        return name(resolve(type_name))
    except ValueError as error:
        return "ValueError: " + str(error)


type_names = sorted({c.type_name for c in all_subclasses(Event)}) + ["topic", "no_such_event"]
print(json.dumps({
    "patched": [
        RemoteAction._validate_action_result is rasa_server.validate_action_result,
        Event.resolve_by_type is rasa_server.resolve_event_class,
    ],
    "answers": [[outcome(rasa_validate, a), outcome(RemoteAction._validate_action_result, a)]
                for a in answers],
    "types": {t: [resolved(rasa_resolve, t), resolved(Event.resolve_by_type, t)]
              for t in type_names},
    "default": [name(rasa_resolve("no_such_event", Event)),
                name(Event.resolve_by_type("no_such_event", Event))],
}))
"""


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    if not RASA.exists():
        pytest.fail("Rasa is missing: run `make setup`")
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", COMPARE],
        env=rasa_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def test_rasa_server_puts_both_in_place(compared: dict[str, Any]) -> None:
    assert compared["patched"] == [True, True]


def test_answers_are_accepted_and_refused_as_rasa_does(compared: dict[str, Any]) -> None:
    outcomes = compared["answers"]
    assert [ours for _, ours in outcomes][:2] == [{"valid": True}, {"valid": True}]
    refused = [ours for _, ours in outcomes[2:]]
    assert all(
        "error" in ours and "Failed to validate Action server" in ours["error"] for ours in refused
    )
    for rasas, ours in outcomes:
        assert ours == rasas


def test_every_event_type_resolves_to_the_class_rasa_finds(compared: dict[str, Any]) -> None:
    types = compared["types"]
    assert types["slot"][1] == "SlotSet"
    assert types["user"][1] == "UserUttered"
    assert types["topic"] == [None, None]
    assert types["no_such_event"][1].startswith("ValueError: Unknown event name")
    for rasas, ours in types.values():
        assert ours == rasas
    assert compared["default"] == ["Event", "Event"]
