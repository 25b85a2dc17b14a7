"""Rasa's SQL tracker store, with less database work per message; the same table and rows.

Rasa reads a conversation from its tracker store and saves it back at every message; with
its ``SQLTrackerStore`` that was two fifths of the Rasa server's time per message under
``bench/chat.py`` (py-spy). Three of its steps are done more cheaply here:

- Before saving, Rasa counts the session's rows with a query to know which of the
  tracker's events are new. A tracker this store read or saved already knows: it had that
  many events then. Only a conversation's own message handling writes its rows, one
  message at a time (the lock store, shared by Rasa's workers), so the two counts agree;
  for a tracker the store did not read (a new conversation), Rasa's count is used.
- Rows are read and written with SQLAlchemy Core, not built into ORM objects.
- A SQLite file is opened once and kept open, not at every read and every save.

Which rows make up the session, their order and their columns are Rasa's (its own
``_event_query`` and ``SQLEvent`` table), so either store reads what the other wrote; and
``tests/bot/test_tracker_store.py`` runs both side by side in ``.venv-rasa``.
``bot/endpoints.yml`` names this class; it runs in the Rasa server, which imports ``bot``
from the repository (``guide bot rasa`` sets ``PYTHONPATH``).
"""

import itertools
import json
import weakref
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


class GuideTrackerStore(SQLTrackerStore):  # type: ignore[misc]  # Rasa is not typed here
    """``SQLTrackerStore`` (configured the same way) that remembers what it has stored."""

    engine: sa.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _is_sqlite_file(self.engine.url):
            self._keep_sqlite_connections()
        # id(tracker) -> how many of that tracker's events are in the table. Trackers
        # cannot be weak dictionary keys (they compare by value, unhashable); each entry is
        # dropped when its tracker is garbage-collected.
        self._stored_counts: dict[int, int] = {}
        self._queries: dict[bool, Any] = {}

    def _keep_sqlite_connections(self) -> None:
        """SQLAlchemy 1.4 opens and closes a SQLite file's connection for every session:
        two per message, and closing the last one checkpoints the log and deletes it.
        Connections are kept in a pool instead; each commits without syncing the log
        (``synchronous=NORMAL``), which in write-ahead-log mode keeps the file consistent,
        and loses at most the last messages' events if the machine itself stops."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _commit_without_sync)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            query = self._events_data_query(session, fetch_events_from_all_sessions)
            rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(data) for data in rows], self.domain.slots
        )
        if not fetch_events_from_all_sessions:
            self._remember(tracker, len(rows))
        return tracker

    def _events_data_query(self, session: Any, fetch_events_from_all_sessions: bool) -> Any:
        """Rasa's query for a conversation's rows, selecting their data only; built once,
        with the sender as a parameter."""
        key = bool(fetch_events_from_all_sessions)
        if key not in self._queries:
            query = self._event_query(session, sa.bindparam("sender_id"), key)
            self._queries[key] = query.with_entities(self.SQLEvent.data).statement
        return self._queries[key]

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new_events = self._new_events(session, tracker)
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        self._remember(tracker, len(tracker.events))

    def _new_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        stored = self._stored_counts.get(id(tracker))
        if stored is None:
            return iter(self._additional_events(session, tracker))
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _remember(self, tracker: DialogueStateTracker, stored: int) -> None:
        key = id(tracker)
        if key not in self._stored_counts:
            weakref.finalize(tracker, self._stored_counts.pop, key, None)
        self._stored_counts[key] = stored

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        """The columns Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _is_sqlite_file(url: sa.engine.URL) -> bool:
    """A SQLite database in a file; one in memory keeps SQLAlchemy's connection per thread."""
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _commit_without_sync(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=NORMAL")
