"""`guide narration worker`: builds the narration jobs staff changes queued, marks each done
or failed with its reason, and shares the queue (huey's, on SQLite) safely with other
workers. The queue engine itself (retries, workers killed, Redis): tests/sites_data."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from narration.library import AudioLibrary
from narration.service import Narration
from narration.worker import NarrationJobs, queue_missing
from sites_data.activity import ActivityLog, Counted
from sites_data.db import Database
from sites_data.jobs import JobKind, JobQueue, JobStatus, open_job_queue
from sites_data.languages import LANGUAGE_CODES
from sites_data.store import SiteStore
from tests.factories import make_site
from tests.narration.audio_checks import probe
from tests.narration.conftest import ABSENT_MODEL


@pytest.fixture
def guide_env(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The settings a worker process reads: this database, audio folder and job queue, no
    translation model on the machine, and a failure final at the first attempt."""
    env = {
        "DATABASE_URL": str(sqlite_engine.url),
        "GUIDE_AUDIO_DIR": str(tmp_path / "audio"),
        "GUIDE_MT_MODEL": ABSENT_MODEL,
        "GUIDE_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
        "GUIDE_JOB_ATTEMPTS": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


def _queue(engine: Engine) -> JobQueue:
    """The queue as the worker processes see it, from the same settings."""
    return open_job_queue(Database(engine), get_settings())


def _statuses(queue: JobQueue, key: str) -> dict[str, tuple[JobStatus, str | None]]:
    return {job.lang: (job.status, job.error) for job in queue.for_site(key)}


def test_once_builds_what_is_queued_and_reports_each_failure(
    sqlite_engine: Engine, tmp_path: Path, guide_env: dict[str, str]
) -> None:
    queue = _queue(sqlite_engine)
    for lang in ("en", "fr"):
        queue.enqueue(JobKind.NARRATION, "test-tower", lang, "eva")
    queue.enqueue(JobKind.NARRATION, "gone-site", "vi", "eva")
    result = CliRunner().invoke(app, ["narration", "worker", "--once"])
    assert result.exit_code == 1, result.output
    assert "Narration worker: 1 done, 2 failed." in result.stdout
    assert "built: test-tower (en)" in result.stdout

    tower = _statuses(queue, "test-tower")
    assert tower["en"] == (JobStatus.DONE, None)
    status, reason = tower["fr"]  # no French text, and no model to translate it with
    assert status == JobStatus.FAILED
    assert reason is not None
    assert f"translation model {ABSENT_MODEL!r} is not on this machine" in reason
    assert _statuses(queue, "gone-site")["vi"] == (
        JobStatus.FAILED,
        "no site has the key 'gone-site'",
    )
    version = AudioLibrary(Database(sqlite_engine), tmp_path / "audio").current("test-tower", "en")
    assert version is not None and version.origin == "machine" and version.engine == "rhvoice"
    mp3 = tmp_path / "audio" / version.digest[:2] / f"{version.digest}.mp3"
    assert float(probe(mp3)["format"]["duration"]) == pytest.approx(version.duration_s, abs=0.1)

    again = CliRunner().invoke(app, ["narration", "worker", "--once"])
    assert again.exit_code == 0 and "0 done, 0 failed" in again.stdout


def test_several_workers_share_the_queue_and_build_each_job_once(
    sqlite_engine: Engine, guide_env: dict[str, str]
) -> None:
    SiteStore(Database(sqlite_engine)).load([make_site("test-museum")])
    queue = _queue(sqlite_engine)
    wanted = [(key, lang) for key in ("test-tower", "test-museum") for lang in ("vi", "en")]
    for key, lang in wanted:
        queue.enqueue(JobKind.NARRATION, key, lang, "eva")
    command = [str(Path(sys.executable).with_name("guide")), "narration", "worker", "--once"]
    environment = {**os.environ, **guide_env}
    workers = [
        subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    jobs = [job for key in ("test-tower", "test-museum") for job in queue.for_site(key)]
    assert sorted((job.site_key, job.lang) for job in jobs) == sorted(wanted)
    assert {job.status for job in jobs} == {JobStatus.DONE}
    built = [line for output in outputs for line in output.splitlines() if line.startswith("built")]
    assert len(built) == len(wanted)  # each job was built by exactly one of the two
    names = {f"{socket.gethostname()}:{worker.pid}" for worker in workers}
    assert {job.worker for job in jobs} <= names


def test_a_starting_worker_queues_the_missing_narration_most_played_first(
    sqlite_engine: Engine, narration: Narration, guide_env: dict[str, str]
) -> None:
    SiteStore(Database(sqlite_engine)).load([make_site("test-tower"), make_site("test-museum")])
    activity = ActivityLog(Database(sqlite_engine))
    for _ in range(3):
        activity.count(Counted.PLAY, "ko", "test-museum")
    queue = _queue(sqlite_engine)
    narration.build(["test-tower"], ["en"])

    queued = queue_missing(narration, queue, activity)
    pairs = [(job.site_key, job.lang) for job in queued]
    assert ("test-tower", "en") not in pairs  # built already
    assert len(pairs) == 2 * len(LANGUAGE_CODES) - 1
    assert pairs[: len(LANGUAGE_CODES)] == [("test-museum", lang) for lang in LANGUAGE_CODES]
    # A second start queues nothing new: the waiting jobs are reused.
    again = queue_missing(narration, queue, activity)
    assert [job.id for job in again] == [job.id for job in queued]

    queue.work(NarrationJobs(narration), "w", once=True)
    statuses = {(job.site_key, job.lang): job.status for job in queue.for_site("test-tower")}
    assert statuses[("test-tower", "vi")] == JobStatus.DONE
    # No French text and no translation model: that item fails, the others are built.
    assert statuses[("test-tower", "fr")] == JobStatus.FAILED
