"""``guide narration …``: build the narration, run the worker, list the voices, import a
person's recording."""

import logging
from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from narration.build import BuildReport, ItemResult, Outcome
from narration.errors import NarrationError
from narration.service import Narration, NarrationSettings, load_voices
from narration.speech.engines import voices_report
from narration.worker import NarrationJobs, queue_missing, worker_name
from sites_data.activity import ActivityLog
from sites_data.db import DatabaseNotReady, ready_database
from sites_data.jobs import Job, JobSettings, JobStatus, open_job_queue, site_store
from sites_data.languages import UnsupportedLanguage
from sites_data.store import UnknownSite

app = typer.Typer(
    help="Narration: every site in every language, translated, spoken, normalised, cached.",
    no_args_is_help=True,
)


class EngineChoice(StrEnum):
    AUTO = "auto"
    GTTS = "gtts"
    PIPER = "piper"
    OPENJTALK = "openjtalk"
    RHVOICE = "rhvoice"
    PICO = "pico"
    ESPEAK = "espeak"
    MMS = "mms"


class WorkerSettings(NarrationSettings, JobSettings, Protocol):
    pass


def _narration(ctx: typer.Context) -> Narration:
    settings: WorkerSettings = ctx.obj
    try:
        database = ready_database(settings.database_url)
        return Narration.load(settings, site_store(database, open_job_queue(database, settings)))
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


def _print_summary(report: BuildReport) -> None:
    typer.echo(
        f"Narration: {report.count(Outcome.BUILT)} built, "
        f"{report.count(Outcome.REUSED)} reused, {report.count(Outcome.FAILED)} failed."
    )
    by_reason: dict[tuple[str, str], list[str]] = defaultdict(list)
    for failure in report.failures:
        by_reason[(failure.lang, failure.detail)].append(failure.site_key)
    for (lang, reason), keys in sorted(by_reason.items()):
        sites = keys[0] if len(keys) == 1 else f"{len(keys)} sites"
        typer.echo(f"failed: {sites} ({lang}): {reason}", err=True)


@app.command()
def build(
    ctx: typer.Context,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="A site key (repeat; default: all).")
    ] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="A language code (repeat; default: all).")
    ] = None,
    engine: Annotated[
        EngineChoice, typer.Option(help="Speech engine; auto picks the best per language.")
    ] = EngineChoice.AUTO,
    jobs: Annotated[int, typer.Option(min=1, max=16, help="Items built at once.")] = 2,
) -> None:
    """Build the narration audio; unchanged items cost nothing, changed ones are rebuilt."""
    narration = _narration(ctx)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("Narration", total=None)

        def advance(result: ItemResult) -> None:
            progress.update(task, advance=1, description=f"{result.site_key} ({result.lang})")

        try:
            report = narration.build(site, lang, engine.value, jobs, on_result=advance)
        except (NarrationError, UnsupportedLanguage, UnknownSite) as error:
            progress.stop()
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from None
    _print_summary(report)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def worker(
    ctx: typer.Context,
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Run the jobs queued now, then exit (tests, cron); queues nothing itself, "
            "and retries fall due later.",
        ),
    ] = False,
    poll_seconds: Annotated[
        float, typer.Option(min=0.1, help="Longest wait between looks at an empty queue.")
    ] = 5.0,
) -> None:
    """Run the narration and translation jobs that changes queued, one at a time, until
    stopped (Ctrl-C: after the current job; SIGTERM: at once). On start, every site and
    language without narration is queued too, the most played sites first. Any number of
    workers, on any number of machines sharing the queue (GUIDE_JOBS_URL), run each job
    once; a failed job is retried later, and the job of a worker that died is taken again."""
    settings: WorkerSettings = ctx.obj
    narration = _narration(ctx)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    database = narration.store.database
    queue = open_job_queue(database, settings)
    if not once:
        queued = queue_missing(narration, queue, ActivityLog(database))
        typer.echo(f"Narration missing for {len(queued)} site-language pairs: queued.", err=True)

    def tell(job: Job, failure: str | None) -> None:
        where = f"{job.site_key} ({job.lang}), job {job.id}"
        if failure is None:
            typer.echo(f"built: {where}")
        elif job.status == JobStatus.QUEUED:
            typer.echo(f"failed, to be retried: {where}: {failure}", err=True)
        else:
            typer.echo(f"failed: {where}: {failure}", err=True)

    name = worker_name()
    typer.echo(f"Narration worker {name}: waiting for jobs.", err=True)
    report = queue.work(NarrationJobs(narration), name, once, poll_seconds, tell)
    typer.echo(f"Narration worker: {report.done} done, {report.failed} failed.")
    if once and report.failed:
        raise typer.Exit(1)


@app.command("import-recording")
def import_recording(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The recording: any format ffmpeg reads.")],
    site: Annotated[str, typer.Option("--site", help="The site's key.")],
    lang: Annotated[str, typer.Option("--lang", help="The language spoken.")],
    author: Annotated[str, typer.Option(help="Who recorded or imports it.")] = "staff",
) -> None:
    """Import a person's recording: checked, normalised, and heard instead of synthesis."""
    narration = _narration(ctx)
    try:
        version = narration.import_recording(site, lang, file, author)
    except (NarrationError, UnsupportedLanguage, UnknownSite) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    minutes, seconds = divmod(round(version.duration_s), 60)
    typer.echo(
        f"Imported the recording of {site} in {lang}: {minutes}:{seconds:02d}, "
        f"{version.loudness_lufs:.1f} LUFS, true peak {version.true_peak_db:.1f} dBTP. "
        "Visitors now hear it instead of speech synthesis."
    )


@app.command()
def voices(ctx: typer.Context) -> None:
    """Per language: the voice auto uses, its offline voice or what to install for one, and
    every speech engine on this machine."""
    settings: NarrationSettings = ctx.obj
    report = voices_report(load_voices(settings))
    for line in report.lines:
        typer.echo(line)
