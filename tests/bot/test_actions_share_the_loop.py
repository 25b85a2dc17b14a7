"""Actions read the knowledge base off the event loop: while one waits for the database,
the action server's loop goes on serving other conversations (real SQLite, a real lock)."""

import asyncio
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine

from bot.actions.conversation import ActionChangeLanguage
from bot.actions.site_actions import ActionSiteHours
from tests.factories import make_tracker

# Long enough for a blocked loop to show; a read that blocks the loop gets the lock this late.
LOCK_HELD_AT_MOST_S = 5.0
OTHER_ACTION_STARTS_AFTER_S = 0.5


@dataclass
class Timeline:
    hours_done_before_other: bool
    other_events: list[dict[str, Any]]
    other_finished_at: float
    released_at: float
    hours_finished_at: float


async def _hours_while_the_database_is_locked(database: str) -> Timeline:
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # no other connection may read until it ends
    released_at: list[float] = []
    release_once = threading.Lock()

    def release() -> None:
        with release_once:
            if not released_at:
                released_at.append(time.monotonic())
                holder.execute("COMMIT")

    # A loop blocked by the read never gets to release the lock itself: this does, late.
    safety = threading.Timer(LOCK_HELD_AT_MOST_S, release)
    safety.start()
    try:
        asking_hours = make_tracker("opening hours?", "ask_hours", slots={"site": "test-tower"})
        hours = asyncio.create_task(ActionSiteHours().run(CollectingDispatcher(), asking_hours, {}))
        await asyncio.sleep(OTHER_ACTION_STARTS_AFTER_S)
        hours_done_before_other = hours.done()
        changing = make_tracker("deutsch bitte", "change_language", {"chosen_language": "de"})
        other_events = await ActionChangeLanguage().run(CollectingDispatcher(), changing, {})
        other_finished_at = time.monotonic()
        await asyncio.to_thread(release)
        await hours
        hours_finished_at = time.monotonic()
    finally:
        safety.cancel()
        release()
        holder.close()
    return Timeline(
        hours_done_before_other, other_events, other_finished_at, released_at[0], hours_finished_at
    )


def test_a_slow_read_does_not_hold_up_another_conversation(knowledge_engine: Engine) -> None:
    database = knowledge_engine.url.database
    assert database is not None
    seen = asyncio.run(_hours_while_the_database_is_locked(database))
    assert seen.hours_done_before_other is False
    assert seen.other_events == [
        {"event": "slot", "timestamp": None, "name": "language", "value": "de"}
    ]
    # The other action answered while the lock was held, and the lock was released by this
    # test rather than by the safety timer; the hours had to wait for it.
    assert seen.other_finished_at < seen.released_at <= seen.hours_finished_at
    assert seen.released_at - seen.other_finished_at < LOCK_HELD_AT_MOST_S / 2
