"""`guide jobs list` and `guide jobs retry`: failed jobs seen with their reason, and queued
again; a wrong number is refused, naming the job and why."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from sites_data.db import Database
from sites_data.jobs import Job, JobKind, JobQueue, JobStatus, open_job_queue


@pytest.fixture
def queue(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[JobQueue]:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("GUIDE_JOB_ATTEMPTS", "1")
    get_settings.cache_clear()
    yield open_job_queue(Database(engine), get_settings())
    get_settings.cache_clear()


def _fail_french(job: Job) -> str | None:
    return "no French voice" if job.lang == "fr" else None


def test_failed_jobs_are_listed_with_their_reason_and_queued_again(queue: JobQueue) -> None:
    done = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    failed = queue.enqueue(JobKind.NARRATION, "thap-doi", "fr", "eva")
    queue.work(_fail_french, "worker-1", once=True)

    listed = CliRunner().invoke(app, ["jobs", "list", "--status", "failed"])
    assert listed.exit_code == 0, listed.output
    assert f"{failed.id}  failed   narration thap-doi (fr), 1 attempt" in listed.stdout
    assert "        no French voice" in listed.stdout
    assert "(en)" not in listed.stdout
    everything = CliRunner().invoke(app, ["jobs", "list", "--site", "thap-doi"]).stdout
    assert everything.index("(fr)") < everything.index("(en)")  # newest first

    retried = CliRunner().invoke(app, ["jobs", "retry", "--all-failed"])
    assert retried.exit_code == 0, retried.output
    assert retried.stdout == f"queued again: narration thap-doi (fr), job {failed.id}\n"
    assert queue.get(failed.id).status == JobStatus.QUEUED
    queue.work(lambda job: None, "worker-2", once=True)
    assert queue.get(failed.id).status == JobStatus.DONE

    refused = CliRunner().invoke(app, ["jobs", "retry", str(done.id), "999"])
    assert refused.exit_code == 1
    assert f"job {done.id} is done: only a failed or queued job can be retried" in refused.stderr
    assert "no job has the number 999" in refused.stderr
    nothing = CliRunner().invoke(app, ["jobs", "retry"])
    assert nothing.exit_code == 1 and "give --all-failed" in nothing.stderr


def test_a_wrong_queue_setting_is_named_with_what_to_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUIDE_JOBS_URL", "postgresql://db-host/guide")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["jobs", "list"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "GUIDE_JOBS_URL: Value error, 'postgresql://db-host/guide' is not a job queue; "
        "write sqlite:///var/jobs.db (one machine) or redis://redis-host:6379/0 (several)"
    )
    assert "Traceback" not in result.output
