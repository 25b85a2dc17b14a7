"""`guide bot actions` as Rasa calls it: the worker Sanic spawns opens the knowledge base
from the database URL the command hands it, and answers from it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import Engine

ROOT = Path(__file__).parents[2]
GUIDE = "import sys; from api.cli import app; sys.argv[0] = 'guide'; app()"
STARTUP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _action_call(
    action: str, slots: dict[str, str | None], page: dict[str, str] | None = None
) -> dict[str, object]:
    """Rasa's call for ``action`` after the visitor's "hours?", sent from ``page`` if given."""
    latest = {
        "text": "hours?",
        "intent": {"name": "ask_hours"},
        "entities": [],
        "metadata": page or {},
    }
    return {
        "next_action": action,
        "sender_id": "visitor-1",
        "tracker": {
            "sender_id": "visitor-1",
            "slots": slots,
            "latest_message": latest,
            "events": [{"event": "user", "text": "hours?", "parse_data": latest}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


def test_the_action_server_answers_from_the_knowledge_base(
    knowledge_engine: Engine, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": str(knowledge_engine.url)}
    log = tmp_path / "actions.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", GUIDE, "bot", "actions", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        call = _action_call("action_site_hours", {"site": "test-museum", "language": "en"})
        reply = httpx.post(f"{url}/webhook", json=call, timeout=30).json()
        # Sent from the museum's page, with no site in context: the site is settled before
        # the action answers, and stored with its answer.
        from_page = _action_call(
            "action_site_hours", {"site": None, "language": "en"}, page={"site": "test-museum"}
        )
        page_reply = httpx.post(f"{url}/webhook", json=from_page, timeout=30).json()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    assert [response["response"] for response in reply["responses"]] == [
        "utter_hours_unknown",
        "utter_note",
    ]
    assert reply["responses"][1]["note"] == "Ask the museum office."
    assert page_reply["responses"] == reply["responses"]
    settled, *answered = page_reply["events"]
    assert (settled["event"], settled["name"], settled["value"]) == ("slot", "site", "test-museum")
    assert answered == reply["events"]
