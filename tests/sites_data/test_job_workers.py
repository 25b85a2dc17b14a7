"""Real worker processes (huey consumers, ``tests/job_consumer.py``) on one queue, on
SQLite and on a real Redis server: a failed job is retried later and succeeds, the job of a
worker killed mid-job (SIGKILL) is run by another, and two workers run each job once."""

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sites_data.db import Database, make_engine, upgrade
from sites_data.job_engine import open_job_engine
from sites_data.jobs import JobKind, JobQueue, JobStatus, RetryPolicy
from tests.job_consumer import ALWAYS_FAILS, FAILS_ONCE

LEASE_S = 2.0


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jobs.db'}"
    server: str = request.getfixturevalue("redis_server")
    open_job_engine(server).flush()  # the queue of an earlier test
    return server


@pytest.fixture
def knowledge_base(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'guide.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


class Workers:
    """Starts worker processes on one queue; stops those still running at the end."""

    def __init__(self, engine: Engine, jobs_url: str, log: Path) -> None:
        self.log = log
        self.environment = {
            **os.environ,
            "DATABASE_URL": str(engine.url),
            "GUIDE_JOBS_URL": jobs_url,
            "GUIDE_JOB_ATTEMPTS": "3",
            "GUIDE_JOB_RETRY_DELAY_S": "1",
            "GUIDE_JOB_LEASE_S": str(LEASE_S),
        }
        self.started: list[subprocess.Popen[bytes]] = []
        self.queue = JobQueue(
            Database(engine), open_job_engine(jobs_url), RetryPolicy(3, 1.0, LEASE_S)
        )

    def start(self, seconds_per_job: float) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "tests.job_consumer", str(self.log), str(seconds_per_job)]
        process = subprocess.Popen(command, env=self.environment, stderr=subprocess.PIPE)
        self.started.append(process)
        ready = f"ready {socket.gethostname()}:{process.pid}"
        wait_for(lambda: ready in self.text() or process.poll() is not None, ready)
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {process.communicate()[1].decode()}")
        return process

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def lines(self, event: str) -> list[list[str]]:
        return [line.split()[1:] for line in self.text().splitlines() if line.startswith(event)]

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # after the current job
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s} s for {what}")
        time.sleep(0.1)


@pytest.fixture
def workers(knowledge_base: Engine, jobs_url: str, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(knowledge_base, jobs_url, tmp_path / "attempts.log")
    yield started
    started.stop()


def test_a_failed_job_is_retried_later_and_succeeds(workers: Workers) -> None:
    queue = workers.queue
    flaky = queue.enqueue(JobKind.NARRATION, FAILS_ONCE, "en", "eva")
    broken = queue.enqueue(JobKind.NARRATION, ALWAYS_FAILS, "en", "eva")
    workers.start(seconds_per_job=0)
    wait_for(lambda: queue.get(broken.id).status == JobStatus.FAILED, "the last attempt")
    wait_for(lambda: queue.get(flaky.id).status == JobStatus.DONE, "the retry")
    assert queue.get(flaky.id).attempts == 2
    failed = queue.get(broken.id)
    assert (failed.attempts, failed.error) == (3, "attempt 3 failed on purpose")
    # Each retry waits longer than the one before: 1 s, then 2 s.
    starts = [float(line[3]) for line in workers.lines("start") if line[0] == str(broken.id)]
    waits = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(waits) == 2 and 1.0 <= waits[0] < waits[1] and waits[1] >= 2.0, waits


def test_the_job_of_a_killed_worker_is_run_by_another(workers: Workers) -> None:
    queue = workers.queue
    job = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    doomed = workers.start(seconds_per_job=30)
    wait_for(lambda: queue.get(job.id).status == JobStatus.RUNNING, "the job to start")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    survivor = workers.start(seconds_per_job=0)
    wait_for(lambda: queue.get(job.id).status == JobStatus.DONE, "the job to be taken again")
    done = queue.get(job.id)
    assert done.worker is not None and done.worker.endswith(f":{survivor.pid}")
    assert done.attempts == 2
    starts = [line[1].rsplit(":", 1)[1] for line in workers.lines("start")]
    assert starts == [str(doomed.pid), str(survivor.pid)]
    assert [line[1] for line in workers.lines("end")] == [done.worker]


def test_two_workers_run_each_job_once(workers: Workers) -> None:
    queue = workers.queue
    jobs = [
        queue.enqueue(JobKind.NARRATION, f"site-{number}", lang, "eva")
        for number in range(10)
        for lang in ("vi", "en")
    ]
    first, second = workers.start(seconds_per_job=0.05), workers.start(seconds_per_job=0.05)
    wait_for(lambda: all(queue.get(job.id).status == JobStatus.DONE for job in jobs), "every job")
    runs = Counter(line[0] for line in workers.lines("end"))
    assert runs == Counter({str(job.id): 1 for job in jobs})
    by_worker = Counter(line[1].rsplit(":", 1)[1] for line in workers.lines("end"))
    assert set(by_worker) <= {str(first.pid), str(second.pid)}
