"""The chat proxy in front of several Rasa servers (GUIDE_RASA_URL lists them): stand-ins
in processes of their own (tests/rasa_stand_in.py) sharing their conversations as Rasa's
SQL tracker store does. A conversation stays on one server while it answers, goes on on
another when that one is killed (before or in the middle of a reply), and the visitor gets
a clear 503 when none answers."""

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from api.routes.chat import UNAVAILABLE, servers_in_turn
from api.settings import Settings
from tests.conftest import _free_port


class StandIns:
    def __init__(self, folder: Path) -> None:
        self.conversations = folder / "conversations.db"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, seconds_per_reply: float = 0.0) -> str:
        port = _free_port()
        command = [sys.executable, "-m", "tests.rasa_stand_in", str(port)]
        process = subprocess.Popen([*command, str(self.conversations), str(seconds_per_reply)])
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the Rasa stand-in on {url} did not start")
        self.processes[url] = process
        return url

    def kill(self, url: str) -> None:
        self.processes[url].send_signal(signal.SIGKILL)
        self.processes[url].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def stand_ins(tmp_path: Path) -> Iterator[StandIns]:
    servers = StandIns(tmp_path)
    yield servers
    servers.stop()


def _chat(database_file: str, urls: list[str], timeout_s: float = 5.0) -> TestClient:
    settings = Settings(
        database_url=database_file, rasa_url=",".join(urls), chat_timeout_s=timeout_s
    )
    return TestClient(create_app(settings))


def _ask(chat: TestClient, sender: str, message: str) -> httpx.Response:
    return chat.post("/api/chat", json={"sender": sender, "message": message, "lang": "en"})


def _say(chat: TestClient, sender: str, message: str) -> str:
    response = _ask(chat, sender, message)
    assert response.status_code == 200, response.text
    return str(response.json()["messages"][0]["text"])


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def _sender_served_first_by(url: str, urls: list[str]) -> str:
    return next(
        sender
        for sender in (f"visitor-{number}" for number in range(100))
        if servers_in_turn(urls, sender)[0] == url
    )


def test_a_conversation_goes_on_on_another_server_when_its_own_is_killed(
    database_file: str, stand_ins: StandIns
) -> None:
    urls = [stand_ins.start(), stand_ins.start(), stand_ins.start()]
    own, next_one = servers_in_turn(urls, "visitor")[:2]
    with _chat(database_file, urls) as chat:
        assert _say(chat, "visitor", "hello") == f"server {_port(own)}, turn 1: hello"
        assert _say(chat, "visitor", "again") == f"server {_port(own)}, turn 2: again"
        stand_ins.kill(own)
        moved = _say(chat, "visitor", "and the tickets?")
        assert moved == f"server {_port(next_one)}, turn 3: and the tickets?"
        assert _say(chat, "visitor", "thanks") == f"server {_port(next_one)}, turn 4: thanks"


def test_a_server_killed_in_the_middle_of_a_reply_is_passed_over(
    database_file: str, stand_ins: StandIns
) -> None:
    slow, other = stand_ins.start(seconds_per_reply=2.0), stand_ins.start()
    sender = _sender_served_first_by(slow, [slow, other])
    with _chat(database_file, [slow, other]) as chat:
        killer = threading.Timer(0.5, stand_ins.kill, [slow])
        killer.start()
        started = time.monotonic()
        reply = _say(chat, sender, "hello")
        killer.join()
        assert reply == f"server {_port(other)}, turn 1: hello"
        assert time.monotonic() - started < 2.0  # the dead server's reply was not awaited


def test_when_no_server_answers_the_visitor_gets_a_clear_503_within_the_deadline(
    database_file: str, stand_ins: StandIns
) -> None:
    down, hung = stand_ins.start(), stand_ins.start(seconds_per_reply=10.0)
    stand_ins.kill(down)
    with _chat(database_file, [down], timeout_s=1.0) as chat:
        refused = _ask(chat, "visitor", "hello")
        assert (refused.status_code, refused.json()) == (503, {"detail": UNAVAILABLE})
    sender = _sender_served_first_by(hung, [hung, down])
    with _chat(database_file, [hung, down], timeout_s=1.0) as chat:
        started = time.monotonic()
        response = _ask(chat, sender, "hello")
        assert (response.status_code, response.json()) == (503, {"detail": UNAVAILABLE})
        assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("http://10.0.0.5:5005,10.0.0.6:5005", "'10.0.0.6:5005' is not the address of a Rasa"),
        (" , ", "name at least one Rasa server"),
    ],
)
def test_a_wrong_list_of_rasa_servers_is_refused_naming_the_entry(value: str, reason: str) -> None:
    with pytest.raises(ValidationError, match="rasa_url") as error:
        Settings(rasa_url=value)
    assert reason in str(error.value)


def test_the_lock_store_must_be_redis() -> None:
    with pytest.raises(ValidationError, match="is not a Redis server"):
        Settings(rasa_lock_store_url="postgresql://db/guide")
    assert Settings(rasa_lock_store_url="redis://redis-host:6379/1").rasa_lock_store_url
