"""The guide's servers started as separate processes on free ports, for the benchmarks,
the evaluation and the end-to-end tests: ``guide bot actions``, ``guide bot rasa``,
``guide serve``."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def assistant(database_url: str, logs: Path) -> Iterator[str]:
    """The action server and the Rasa server (trained model) on ``database_url``, running
    until the block ends; yields Rasa's URL. Their logs go into the folder ``logs``."""
    actions_url = f"http://127.0.0.1:{free_port()}"
    rasa_url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUIDE_ACTION_SERVER_URL": actions_url,
        "GUIDE_RASA_URL": rasa_url,
    }
    actions = start(["bot", "actions"], env, logs / "actions.log")
    rasa = start(["bot", "rasa"], env, logs / "rasa.log")
    try:
        wait_until_up(f"{actions_url}/health", actions, logs / "actions.log")
        wait_until_up(rasa_url, rasa, logs / "rasa.log")
        yield rasa_url
    finally:
        stop(rasa)
        stop(actions)
