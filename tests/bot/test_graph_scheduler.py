"""``bot.rasa_server`` runs Rasa's graph of components with dask's simplest scheduler; the
trained model must understand messages and choose the next action exactly as with Rasa's
own. Run in .venv-rasa on the trained model, both ways in one process."""

import json
import subprocess
from typing import Any

import pytest

from bot.cli import MODELS_DIR, RASA, rasa_environment

MODEL = MODELS_DIR / "heritage-guide.tar.gz"
COMPARE = """
import asyncio, json, sys
import rasa.engine.runner.dask
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from bot import rasa_server

agent = Agent.load(sys.argv[1])
slots = agent.processor.domain.slots


async def decide(text):
    parsed = await agent.processor.parse_message(UserMessage(text))
    tracker = DialogueStateTracker.from_events("compare", [
        ActionExecuted("action_listen"),
        UserUttered(text, parsed["intent"], parsed["entities"], parsed),
    ], slots)
    prediction = agent.processor._predict_next_with_tracker(tracker)
    return {"parsed": parsed, "action": prediction.max_confidence_index,
            "policy": prediction.policy_name, "probabilities": prediction.probabilities}


async def decide_all():
    return [await decide(text) for text in sys.argv[2:]]


schedulers = [rasa.engine.runner.dask.dask.get.__name__]
rasas = asyncio.run(decide_all())
rasa_server.apply()
schedulers.append(rasa.engine.runner.dask.dask.get.__module__ + "." +
                  rasa.engine.runner.dask.dask.get.__name__)
ours = asyncio.run(decide_all())
print(json.dumps({"schedulers": schedulers, "rasas": rasas, "ours": ours}, default=str))
"""
MESSAGES = [
    "xin chào",
    "Tháp Đôi mở cửa mấy giờ?",
    "how much is the ticket for Po Klong Garai?",
    "双塔的门票多少钱",
    "バインイット塔の入場料はいくらですか",
    "역사 이야기 해 줘",
    "можно ли купаться на Ниньчы?",
    "qwerty zxcv",
]


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    if not RASA.exists() or not MODEL.exists():
        pytest.fail("Rasa or its trained model is missing: run `make setup`")
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", COMPARE, str(MODEL), *MESSAGES],
        env=rasa_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def test_the_graph_runs_on_dasks_simplest_scheduler(compared: dict[str, Any]) -> None:
    assert compared["schedulers"] == ["get_sync", "dask.core.get"]


def test_messages_are_understood_and_answered_as_with_rasas_scheduler(
    compared: dict[str, Any],
) -> None:
    rasas, ours = compared["rasas"], compared["ours"]
    assert len(ours) == len(MESSAGES)
    intents = [decision["parsed"]["intent"]["name"] for decision in ours]
    assert "ask_tickets" in intents and "greet" in intents
    assert all(decision["action"] > 0 for decision in ours)  # an action, not nothing
    assert ours == rasas
