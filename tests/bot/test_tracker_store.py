"""``bot.tracker_store.GuideTrackerStore`` must store and read conversations exactly as
Rasa's ``SQLTrackerStore`` does: the same rows, readable by either. Run in .venv-rasa, next
to Rasa's store, on SQLite files (tests/bot/test_conversations_survive.py runs it on
PostgreSQL with two Rasa workers)."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.cli import RASA, rasa_environment

# The same conversations saved by Rasa's store into one file and by ours into another, turn
# by turn as Rasa's message handling does (read, add the turn's events, save), then read
# back by both stores. The events are built once, so both files get the same timestamps.
COMPARE = """
import asyncio, itertools, json, sys, time
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from bot.tracker_store import GuideTrackerStore

directory = sys.argv[1]
domain = Domain.load("bot/domain.yml")
# Whole seconds from now on: later than the conversations' first action_listen, which each
# store stamps with the time it creates the conversation.
stamp = itertools.count(int(time.time()) + 10)


def turn(text, intent, slots=()):
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9},
             "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": []}
    return [UserUttered(text, parse["intent"], [], parse, timestamp=next(stamp)),
            *[SlotSet(name, value, timestamp=next(stamp)) for name, value in slots],
            ActionExecuted("action_" + intent, timestamp=next(stamp)),
            BotUttered("answer to " + text, {}, timestamp=next(stamp)),
            ActionExecuted("action_listen", timestamp=next(stamp))]


def new_session():
    return [ActionExecuted("action_session_start", timestamp=next(stamp)),
            SessionStarted(timestamp=next(stamp)),
            SlotSet("site", "thap-doi", timestamp=next(stamp)),
            ActionExecuted("action_listen", timestamp=next(stamp))]


# "ana": three turns, a new session, two more. "bao": a conversation two workers (two stores
# on one file) take turns at, ours only. "cam": a tracker built by hand, not read from the
# store, saved twice.
turns = [turn("hello", "greet", [("language", "en")]),
         turn("hours of Thap Doi?", "ask_hours", [("site", "thap-doi")]),
         turn("and the ticket?", "ask_tickets"),
         new_session() + turn("xin chao", "greet", [("language", "vi")]),
         turn("gio mo cua?", "ask_hours")]
bao_turns = [turn(f"message {n}", "ask_about") for n in range(5)]
cam_events = [ActionExecuted("action_listen", timestamp=next(stamp))] + turn("hi", "greet")


def store(cls, name):
    return cls(domain=domain, host=f"sqlite:///{directory}/{name}.db")


async def converse(store):
    for events in turns:
        tracker = await store.get_or_create_tracker("ana")
        for event in events:
            tracker.update(event)
        await store.save(tracker)


async def rows(store, sender):
    with store.session_scope() as session:
        query = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender)
        return [[e.sender_id, e.type_name, e.timestamp, e.intent_name, e.action_name, e.data]
                for e in query.order_by(store.SQLEvent.id)]


async def state(store, sender, full=False):
    tracker = await (store.retrieve_full_tracker(sender) if full else store.retrieve(sender))
    if tracker is None:
        return None
    state = tracker.current_state(EventVerbosity.ALL)
    if full:  # the conversation's first action_listen, stamped by each store at creation
        state["events"][0]["timestamp"] = None
    return state


async def main():
    rasas, ours = store(SQLTrackerStore, "rasa"), store(GuideTrackerStore, "ours")
    connections = {"rasa": 0, "ours": 0}
    for name, each in (("rasa", rasas), ("ours", ours)):
        sa.event.listen(each.engine, "connect",
                        lambda *_, name=name: connections.__setitem__(name, connections[name] + 1))
    await converse(rasas)
    await converse(ours)
    with ours.engine.connect() as connection:
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    read_by = {}
    for reader in (SQLTrackerStore, GuideTrackerStore):
        for file in ("rasa", "ours"):
            other = store(reader, file)
            read_by[f"{reader.__name__} reads {file}"] = [
                await state(other, "ana"), await state(other, "ana", full=True),
                await state(other, "nobody")]

    workers = [store(GuideTrackerStore, "ours"), store(GuideTrackerStore, "ours")]
    for number, events in enumerate(bao_turns):
        worker = workers[number % 2]
        tracker = await worker.get_or_create_tracker("bao")
        for event in events:
            tracker.update(event)
        await worker.save(tracker)

    cam = DialogueStateTracker.from_events("cam", cam_events, domain.slots)
    await ours.save(cam)
    await ours.save(cam)

    in_memory = GuideTrackerStore(domain=domain, host="sqlite://")
    await converse(in_memory)

    print(json.dumps({
        "rows": [await rows(rasas, "ana"), await rows(ours, "ana")],
        "in_memory": await rows(in_memory, "ana"),
        "connections": connections,
        "synchronous": synchronous,
        "read_by": read_by,
        "bao": [row[5] for row in await rows(ours, "bao")],
        "bao_expected": [json.dumps(e.as_dict()) for events in bao_turns for e in events],
        "cam": [row[5] for row in await rows(ours, "cam")],
        "cam_expected": [json.dumps(e.as_dict()) for e in cam_events],
    }))


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not RASA.exists():
        pytest.fail("Rasa is missing: run `make setup`")
    directory = tmp_path_factory.mktemp("trackers")
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", COMPARE, str(directory)],
        env=rasa_environment(),
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def test_a_conversation_is_stored_in_the_rows_rasa_writes(compared: dict[str, Any]) -> None:
    rasas, ours = compared["rows"]
    # One row per event, none twice: 5 + 5 + 4 + (4 + 5) + 4 events, and the first
    # action_listen of a new conversation.
    assert len(rasas) == 1 + 5 + 5 + 4 + 4 + 5 + 4
    # The first action_listen is stamped when each store creates the conversation.
    assert ours[0][:2] == rasas[0][:2] == ["ana", "action"]
    assert ours[1:] == rasas[1:]


def test_either_store_reads_what_either_wrote(compared: dict[str, Any]) -> None:
    states = list(compared["read_by"].values())
    session, everything, nobody = states[0]
    # Only the latest session by default; its slots carried over by the session start.
    texts = [e.get("text") for e in session["events"] if e["event"] == "user"]
    assert texts == ["xin chao", "gio mo cua?"]
    assert session["slots"]["site"] == "thap-doi"
    assert session["slots"]["language"] == "vi"
    assert len(everything["events"]) > len(session["events"])
    assert nobody is None
    for other in states[1:]:
        assert other == states[0]


def test_workers_taking_turns_store_each_event_once(compared: dict[str, Any]) -> None:
    stored = compared["bao"]
    assert stored[1:] == compared["bao_expected"]
    assert json.loads(stored[0])["name"] == "action_listen"


def test_a_tracker_the_store_did_not_read_is_stored_once(compared: dict[str, Any]) -> None:
    assert compared["cam"] == compared["cam_expected"]


def test_a_sqlite_file_is_opened_once_and_commits_without_syncing(
    compared: dict[str, Any],
) -> None:
    # Rasa's store opens the file for every read and every save (five turns: ten times,
    # and more for a new conversation); ours keeps one connection open.
    assert compared["connections"]["rasa"] >= 10
    assert compared["connections"]["ours"] == 1
    assert compared["synchronous"] == 1  # NORMAL: the log is synced at checkpoints only


def test_a_database_in_memory_keeps_its_conversations(compared: dict[str, Any]) -> None:
    rasas, _ = compared["rows"]
    assert [row[1:] for row in compared["in_memory"][1:]] == [row[1:] for row in rasas[1:]]
