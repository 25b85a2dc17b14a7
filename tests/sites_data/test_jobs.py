"""The background jobs' status rows and their messages on the queue engine (huey on
SQLite): queued once, sent only when the save commits, retried later each time, failed
with the last reason, retried again on request, taken back from a worker that died."""

from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text, update

from sites_data.db import MIGRATIONS_DIR, Database, make_engine, upgrade, utcnow
from sites_data.job_engine import UnknownJobEngine, open_job_engine
from sites_data.jobs import (
    Job,
    JobKind,
    JobNotRetryable,
    JobQueue,
    JobRow,
    JobStatus,
    RetryPolicy,
)


def _queue(engine: Engine, tmp_path: Path, policy: RetryPolicy | None = None) -> JobQueue:
    return JobQueue(Database(engine), open_job_engine(f"sqlite:///{tmp_path}/jobs.db"), policy)


def test_a_job_waiting_for_the_same_work_is_not_queued_twice(
    engine: Engine, tmp_path: Path
) -> None:
    queue = _queue(engine, tmp_path)
    first = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    again = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "adam")
    other = queue.enqueue(JobKind.NARRATION, "thap-doi", "fr", "adam")
    assert again.id == first.id and other.id != first.id
    assert [(job.lang, job.status) for job in queue.for_site("thap-doi")] == [
        ("fr", JobStatus.QUEUED),
        ("en", JobStatus.QUEUED),
    ]
    assert queue.engine.pending_count() == 2  # one message per job


def test_a_message_is_sent_only_when_the_save_commits(engine: Engine, tmp_path: Path) -> None:
    database = Database(engine)
    queue = JobQueue(database, open_job_engine(f"sqlite:///{tmp_path}/jobs.db"))
    with pytest.raises(RuntimeError), database.transaction():
        queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
        assert queue.engine.pending_count() == 0  # not before the commit
        raise RuntimeError("the save failed")
    assert queue.for_site("thap-doi") == [] and queue.engine.pending_count() == 0


def test_translations_run_first_and_failures_are_retried_until_the_last_attempt(
    engine: Engine, tmp_path: Path
) -> None:
    queue = _queue(engine, tmp_path, RetryPolicy(attempts=2, first_delay_s=60, lease_s=60))
    narration = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    translation = queue.enqueue(JobKind.TRANSLATION, "thap-doi", "fr", "eva")
    order: list[tuple[int, int]] = []

    def handler(job: Job) -> str | None:
        order.append((job.id, job.attempts))
        return "espeak-ng is not installed" if job.kind == JobKind.NARRATION else None

    report = queue.work(handler, "worker-1", once=True)
    assert order == [(translation.id, 1), (narration.id, 1)]
    assert (report.done, report.failed) == (1, 1)
    retrying = queue.get(narration.id)
    assert (retrying.status, retrying.error) == (JobStatus.QUEUED, "espeak-ng is not installed")
    assert queue.get(translation.id).status == JobStatus.DONE
    # The retry is on the engine's schedule, a minute away: not run by this pass.
    assert queue.engine.scheduled_count() == 1
    assert queue.work(handler, "worker-1", once=True).failed == 0

    due = queue.engine.read_schedule(utcnow().replace(tzinfo=None) + timedelta(seconds=61))
    assert [task.args for task in due] == [(narration.id,)]
    for task in due:  # as the consumer's scheduler does when they fall due
        task.eta = None
        queue.engine.enqueue(task)
    queue.work(handler, "worker-1", once=True)
    failed = queue.get(narration.id)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 2)
    assert failed.error == "espeak-ng is not installed" and failed.finished_at is not None
    assert [job.id for job in queue.listed(status=JobStatus.FAILED)] == [narration.id]

    # Retried on request: its attempts start again, and it runs.
    assert queue.retry(narration.id).status == JobStatus.QUEUED
    queue.work(lambda job: None, "worker-2", once=True)
    done = queue.get(narration.id)
    assert (done.status, done.attempts, done.worker) == (JobStatus.DONE, 1, "worker-2")
    with pytest.raises(JobNotRetryable, match="is done: only a failed or queued job"):
        queue.retry(narration.id)


def test_a_second_message_for_a_job_runs_nothing(engine: Engine, tmp_path: Path) -> None:
    queue = _queue(engine, tmp_path)
    job = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    queue.retry(job.id)  # still queued: its message is sent again
    runs: list[int] = []
    report = queue.work(lambda job: runs.append(job.id) or None, "worker-1", once=True)
    assert runs == [job.id] and report.done == 1


def test_a_running_job_whose_heartbeat_stopped_is_queued_again(
    engine: Engine, tmp_path: Path
) -> None:
    queue = _queue(engine, tmp_path, RetryPolicy(lease_s=30))
    job = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    queue.engine.flush()  # the message a dead worker took with it
    with Database(engine).transaction() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == job.id)
            .values(status="running", worker="host:123", heartbeat_at=utcnow(), attempts=1)
        )
    assert queue.reclaim_abandoned() == []  # its worker beat a moment ago
    with Database(engine).transaction() as session:
        old = utcnow() - timedelta(seconds=31)
        session.execute(update(JobRow).where(JobRow.id == job.id).values(heartbeat_at=old))
    [reclaimed] = queue.reclaim_abandoned()
    assert reclaimed.status == JobStatus.QUEUED
    assert reclaimed.error == "its worker host:123 stopped; queued again"
    queue.work(lambda job: None, "worker-2", once=True)
    assert queue.get(job.id).status == JobStatus.DONE and queue.get(job.id).attempts == 2


def test_the_jobs_the_table_queue_left_are_run_on_the_engine(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        for status in ("queued", "running", "done"):
            connection.execute(
                text(
                    "INSERT INTO jobs (kind, site_key, lang, status, requested_by, created_at) "
                    "VALUES ('narration', 'thap-doi', :lang, :status, 'eva', :now)"
                ),
                {"lang": status[:2], "status": status, "now": utcnow()},
            )
    upgrade(engine)
    queue = _queue(engine, tmp_path)
    taken_back = queue.reclaim_abandoned()  # what a worker does as it starts
    assert sorted(job.lang for job in taken_back) == ["qu", "ru"]
    assert queue.engine.pending_count() == 2
    queue.work(lambda job: None, "worker-1", once=True)
    assert {job.lang: job.status for job in queue.for_site("thap-doi")} == {
        "qu": JobStatus.DONE,
        "ru": JobStatus.DONE,
        "do": JobStatus.DONE,
    }
    engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://db/guide", "sqlite://", "redis://"])
def test_an_unknown_queue_url_says_what_to_write(url: str) -> None:
    with pytest.raises(UnknownJobEngine, match=r"write sqlite:///var/jobs\.db"):
        open_job_engine(url)
