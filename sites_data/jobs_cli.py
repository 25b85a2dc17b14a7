"""``guide jobs …``: the background jobs (narration, translation) as staff see them, and
failed ones queued again."""

from typing import Annotated, Protocol

import typer

from sites_data.db import DatabaseNotReady, ready_database
from sites_data.jobs import (
    Job,
    JobNotRetryable,
    JobQueue,
    JobSettings,
    JobStatus,
    UnknownJob,
    open_job_queue,
)

app = typer.Typer(
    help="Background jobs: list them, queue failed ones again. `guide narration worker` runs them.",
    no_args_is_help=True,
)


class JobsCliSettings(JobSettings, Protocol):
    @property
    def database_url(self) -> str: ...


def _queue(ctx: typer.Context) -> JobQueue:
    settings: JobsCliSettings = ctx.obj
    try:
        return open_job_queue(ready_database(settings.database_url), settings)
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


def _line(job: Job) -> str:
    when = (job.finished_at or job.started_at or job.created_at).strftime("%Y-%m-%d %H:%M")
    tries = "attempt" if job.attempts == 1 else "attempts"
    line = (
        f"{job.id:>6}  {job.status:<7}  {job.kind} {job.site_key} ({job.lang}), "
        f"{job.attempts} {tries}, {when} UTC, asked by {job.requested_by}"
    )
    if job.worker and job.status == JobStatus.RUNNING:
        line += f", on {job.worker}"
    return f"{line}\n        {job.error}" if job.error else line


@app.command("list")
def list_jobs(
    ctx: typer.Context,
    status: Annotated[
        JobStatus | None, typer.Option(help="Only the jobs in this state (default: all).")
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only this site's jobs.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """The most recent jobs, newest first, with the last failure's reason."""
    queue = _queue(ctx)
    jobs = queue.listed(site, status, limit)
    for job in jobs:
        typer.echo(_line(job))
    if not jobs:
        typer.echo("No jobs.")


@app.command()
def retry(
    ctx: typer.Context,
    job_ids: Annotated[list[int] | None, typer.Argument(help="Jobs to queue again.")] = None,
    all_failed: Annotated[
        bool, typer.Option("--all-failed", help="Queue every failed job again.")
    ] = False,
) -> None:
    """Queue failed jobs again, their attempts counted afresh (a worker must be running)."""
    queue = _queue(ctx)
    if all_failed:
        failed = queue.listed(status=JobStatus.FAILED, limit=10_000)
        job_ids = [*(job_ids or []), *(job.id for job in failed)]
    if not job_ids:
        typer.echo(
            "Name the jobs to retry (their numbers, from `guide jobs list`), or give --all-failed.",
            err=True,
        )
        raise typer.Exit(1)
    problems = 0
    for job_id in dict.fromkeys(job_ids):
        try:
            job = queue.retry(job_id)
        except (UnknownJob, JobNotRetryable) as error:
            typer.echo(str(error), err=True)
            problems += 1
            continue
        typer.echo(f"queued again: {job.kind} {job.site_key} ({job.lang}), job {job.id}")
    if problems:
        raise typer.Exit(1)
