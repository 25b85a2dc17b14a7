"""Conversations survive what happens to the servers: the real Rasa server with the trained
model, the real action server and the guide's POST /api/chat, with Rasa's tracker store in a
SQLite file or PostgreSQL. Rasa is killed and started again mid-conversation; the action
server is stopped while a visitor writes and started again; of two Rasa servers sharing
PostgreSQL and a Redis lock store behind the chat proxy, the one serving a conversation is
killed and the other carries it on."""

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.routes.chat import UNAVAILABLE, servers_in_turn
from api.settings import Settings
from bench import servers
from bot.cli import MODELS_DIR, RASA
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore

# Generous: the first messages of a fresh Rasa server on a busy two-core machine are slow.
CHAT_TIMEOUT_S = 30.0
TICKETS = "How much is the ticket for Po Klong Garai?"


class RunningAssistant:
    """The two servers of one assistant, which the tests stop and start again, and the
    guide's chat in front of them."""

    def __init__(self, ports: servers.Assistant) -> None:
        self.ports = ports
        self.actions = ports.start_actions()
        self.rasa = ports.start_rasa()
        self.starts = 1
        self.actions.wait_until_up()
        self.rasa.wait_until_up()

    def restart_rasa(self) -> None:
        self.rasa.kill()
        self.starts += 1
        self.rasa = self.ports.start_rasa(f"rasa-{self.starts}.log")
        self.rasa.wait_until_up()

    def start_actions(self) -> None:
        self.starts += 1
        self.actions = self.ports.start_actions(f"actions-{self.starts}.log")
        self.actions.wait_until_up()

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


@contextmanager
def running(ports: servers.Assistant) -> Iterator[tuple[RunningAssistant, TestClient]]:
    if not RASA.exists() or not any(MODELS_DIR.glob("*.tar.gz")):
        pytest.fail("Rasa or its trained model is missing: run `make setup`")
    assistant = RunningAssistant(ports)
    settings = Settings(
        database_url=ports.database_url, rasa_url=ports.rasa_url, chat_timeout_s=CHAT_TIMEOUT_S
    )
    try:
        with TestClient(create_app(settings)) as chat:
            yield assistant, chat
    finally:
        assistant.stop()


@pytest.fixture(scope="module")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'guide.db'}")
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    yield engine.url.render_as_string(hide_password=False)
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def assistant(
    request: pytest.FixtureRequest, knowledge_base: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningAssistant, TestClient]]:
    """An assistant with its conversations in a SQLite file (the default) or in PostgreSQL
    with its locks in Redis and two Rasa workers (past one machine, or with cores to spare)."""
    tracker_url, lock_store_url, rasa_workers = None, "", 1
    if request.param == "postgresql":
        server: str = request.getfixturevalue("postgres_server")
        tracker_url = server.replace("postgresql+psycopg://", "postgresql://")
        redis: str = request.getfixturevalue("redis_server")
        lock_store_url = redis.rsplit("/", 1)[0] + "/1"
        rasa_workers = 2
    logs = tmp_path_factory.mktemp("logs")
    ports = servers.Assistant(knowledge_base, logs, tracker_url, lock_store_url, rasa_workers)
    with running(ports) as both:
        yield both


def ask(chat: TestClient, sender: str, message: str) -> httpx.Response:
    return chat.post("/api/chat", json={"sender": sender, "message": message, "lang": "en"})


def answer(chat: TestClient, sender: str, message: str) -> str:
    response = ask(chat, sender, message)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return "\n".join(message["text"] for message in reply["messages"])


def test_a_conversation_goes_on_after_rasa_is_killed_and_started_again(
    assistant: tuple[RunningAssistant, TestClient],
) -> None:
    bot, chat = assistant
    expected = answer(chat, "someone else", TICKETS)
    assert "Po Klong Garai" in answer(chat, "visitor", "Tell me about Po Klong Garai")
    bot.restart_rasa()
    assert answer(chat, "visitor", "and the ticket?") == expected


@pytest.mark.parametrize("assistant", ["postgresql"], indirect=True)
def test_rasa_starts_the_workers_it_is_given(
    assistant: tuple[RunningAssistant, TestClient],
) -> None:
    bot, chat = assistant
    children = Path(f"/proc/{bot.rasa.process.pid}/task/{bot.rasa.process.pid}/children")
    workers = [f"/proc/{pid}/cmdline" for pid in children.read_text().split()]
    assert len(workers) == bot.ports.rasa_workers == 2
    assert all(b"bot.rasa_server" in Path(worker).read_bytes() for worker in workers)
    assert "Po Klong Garai" in answer(chat, "worker visitor", TICKETS)


@pytest.mark.parametrize("assistant", ["sqlite"], indirect=True)
def test_the_sqlite_tracker_store_writes_ahead_to_a_log(
    assistant: tuple[RunningAssistant, TestClient],
) -> None:
    bot, _ = assistant
    with closing(sqlite3.connect(bot.ports.logs / "conversations.db")) as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize("assistant", ["sqlite"], indirect=True)
def test_a_visitor_who_wrote_during_an_action_server_outage_is_answered_after_it(
    assistant: tuple[RunningAssistant, TestClient],
) -> None:
    bot, chat = assistant
    expected = answer(chat, "someone else", TICKETS)
    bot.actions.stop()
    try:
        # The visitor's first message: Rasa cannot run the guide's actions to answer it.
        during = ask(chat, "outage", TICKETS)
        assert during.status_code == 503
        assert during.json() == {"detail": UNAVAILABLE}
    finally:
        bot.start_actions()
    assert answer(chat, "outage", TICKETS) == expected
    assert "start again" in answer(chat, "outage", "/restart")
    assert "Po Klong Garai" in answer(chat, "outage", "Tell me about Po Klong Garai")


@pytest.mark.parametrize("assistant", ["sqlite"], indirect=True)
@pytest.mark.parametrize("server", ["rasa", "actions"])
def test_the_servers_listen_on_the_loopback_address_only(
    assistant: tuple[RunningAssistant, TestClient], server: str
) -> None:
    ports = assistant[0].ports
    port = httpx.URL(ports.rasa_url if server == "rasa" else ports.actions_url).port
    assert port is not None
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    # Another address of this machine: a server listening on every address would accept.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", port), timeout=5)


@pytest.mark.parametrize("assistant", ["postgresql"], indirect=True)
def test_a_conversation_goes_on_on_the_other_rasa_server_when_its_own_is_killed(
    assistant: tuple[RunningAssistant, TestClient],
) -> None:
    bot, _ = assistant
    second_url = servers.local_url()
    second = bot.ports.start_rasa("rasa-second.log", second_url)
    try:
        second.wait_until_up()
        urls = [bot.ports.rasa_url, second_url]
        settings = Settings(
            database_url=bot.ports.database_url,
            rasa_url=",".join(urls),
            chat_timeout_s=CHAT_TIMEOUT_S,
        )
        # A conversation the second server serves while it is up.
        sender = next(
            name
            for name in (f"visitor on two {number}" for number in range(100))
            if servers_in_turn(urls, name)[0] == second_url
        )
        with TestClient(create_app(settings)) as chat:
            expected = answer(chat, "someone else on two", TICKETS)
            assert "Po Klong Garai" in answer(chat, sender, "Tell me about Po Klong Garai")
            second.kill()
            assert answer(chat, sender, "and the ticket?") == expected
    finally:
        second.stop()
