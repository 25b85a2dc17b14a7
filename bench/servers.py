"""The guide's servers started as separate processes on free ports, for the benchmarks,
the evaluation and the end-to-end tests: ``guide bot actions``, ``guide bot rasa``,
``guide serve``."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

GUIDE = Path(sys.executable).with_name("guide")
# Generous: a fresh Rasa server on a busy two-core machine takes minutes to load its model.
STARTUP_TIMEOUT_S = 300


class ServerFailed(RuntimeError):
    """A server exited or did not answer in time; the message holds the end of its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(arguments: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``guide <arguments>`` in its own process group (the action server forks workers)."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(GUIDE), *arguments],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"{url} exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise ServerFailed(f"{url} did not start within {STARTUP_TIMEOUT_S} s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the whole process group, killing it when it does not end in time."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return  # it had already exited (and its failure was reported)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def local_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def redis() -> Iterator[str]:
    """A Redis server of our own (Debian's redis-server) on a free port, memory only, until
    the block ends; yields its URL (database 0)."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        raise ServerFailed("redis-server is missing: run `make setup` (Debian: redis-server)")
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="guide-redis-"))
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [server, *options, "--dir", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise ServerFailed(f"redis-server did not start: {process.communicate()[1]!r}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    health_url: str
    log: Path

    def wait_until_up(self) -> None:
        wait_until_up(self.health_url, self.process, self.log)

    def stop(self) -> None:
        stop(self.process)

    def kill(self) -> None:
        """End it at once (SIGKILL), as a crash or a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass
class Assistant:
    """Where one run's action server and Rasa server listen, and where they keep their
    conversations: ``tracker_url``, else a SQLite file in ``logs`` (with their logs); with
    ``lock_store_url`` (Redis), Rasa servers started with other ``url``s share its locks."""

    database_url: str
    logs: Path
    tracker_url: str | None = None
    lock_store_url: str = ""
    rasa_workers: int = 1
    actions_url: str = field(default_factory=local_url)
    rasa_url: str = field(default_factory=local_url)

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "GUIDE_ACTION_SERVER_URL": self.actions_url,
            "GUIDE_RASA_URL": self.rasa_url,
            "GUIDE_RASA_TRACKER_URL": self.tracker_url
            or f"sqlite:///{self.logs / 'conversations.db'}",
            "GUIDE_RASA_LOCK_STORE_URL": self.lock_store_url,
            "GUIDE_RASA_WORKERS": str(self.rasa_workers),
        }

    def start_actions(self, log: str = "actions.log") -> Server:
        """``guide bot actions``, starting; ``wait_until_up`` waits for it."""
        process = start(["bot", "actions"], self.environment(), self.logs / log)
        return Server(process, f"{self.actions_url}/health", self.logs / log)

    def start_rasa(self, log: str = "rasa.log", url: str | None = None) -> Server:
        """``guide bot rasa`` (on ``url``'s port, else ``rasa_url``'s), starting;
        ``wait_until_up`` waits for it."""
        port = ["--port", url.rsplit(":", 1)[1]] if url else []
        process = start(["bot", "rasa", *port], self.environment(), self.logs / log)
        return Server(process, url or self.rasa_url, self.logs / log)


@contextmanager
def assistant(database_url: str, logs: Path) -> Iterator[str]:
    """The action server and the Rasa server (trained model) on ``database_url``, running
    until the block ends; yields Rasa's URL. Their logs go into the folder ``logs``."""
    ports = Assistant(database_url, logs)
    actions = ports.start_actions()
    rasa = ports.start_rasa()
    try:
        actions.wait_until_up()
        rasa.wait_until_up()
        yield ports.rasa_url
    finally:
        rasa.stop()
        actions.stop()
