"""Background jobs: their status rows, for staff, and their running, on a queue engine.

A save asks for work (``enqueue``): a status row in the database and, once the save has
committed, a message on the queue engine (huey, ``sites_data.job_engine``). Workers take
the messages; the engine gives each message to one worker, and a worker runs a job only if
it moves the job's row from queued to running, so a message delivered twice still runs the
job once. A failed attempt is retried on the engine's schedule, later each time; the last
failure stays on the row with its reason. huey takes a message off the queue when a worker
takes it and has no acknowledgement, so a worker killed mid-job would lose it: the worker
running a job beats a heartbeat on its row, and every worker takes back (and queues again)
a job whose heartbeat stopped for longer than the lease. Jobs are idempotent (a narration
build reuses what is built; drafts are rewritten), so running again what a dead worker half
did is safe.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from huey import Huey
from huey.exceptions import RetryTask
from sqlalchemy import DateTime, Integer, String, Text, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from sites_data.db import Base, Database, utcnow
from sites_data.job_engine import open_job_engine
from sites_data.schema import Site
from sites_data.store import SiteChanged, SiteListener, SiteStore

log = logging.getLogger(__name__)


class JobRow(Base):
    """A background job (e.g. rebuilding a site's narration in one language) and its status."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    site_key: Mapped[str] = mapped_column(String(80), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), index=True)
    requested_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobKind(StrEnum):
    NARRATION = "narration"  # rebuild a site's narration audio in one language
    TRANSLATION = "translation"  # machine-draft a site's texts in one language


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting, or waiting to be retried (``error`` says why it failed)
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # every attempt failed; ``error`` is the last one's reason


# Translations first: their drafts queue narration in turn.
PRIORITY = {JobKind.TRANSLATION: 1, JobKind.NARRATION: 0}


@dataclass(frozen=True)
class Job:
    id: int
    kind: JobKind
    site_key: str
    lang: str
    status: JobStatus
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker: str | None
    error: str | None
    attempts: int


def _job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        kind=JobKind(row.kind),
        site_key=row.site_key,
        lang=row.lang,
        status=JobStatus(row.status),
        requested_by=row.requested_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        worker=row.worker,
        error=row.error,
        attempts=row.attempts or 0,
    )


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # in all, the first included
    first_delay_s: float = 30.0  # before the first retry; doubled before each next one
    lease_s: float = 60.0  # a running job whose heartbeat is older is taken again

    def delay_s(self, attempts_made: int) -> float:
        return self.first_delay_s * 2.0 ** (attempts_made - 1)


# Does a job: None when it worked, else the reason it did not.
JobHandler = Callable[[Job], str | None]
# Hears about each attempt as it ends: the job as it then stands, and the failure or None.
JobListener = Callable[[Job, str | None], None]


@dataclass
class WorkerReport:
    done: int = 0
    failed: int = 0  # attempts that failed, retried or not


class UnknownJob(LookupError):
    pass


class JobNotRetryable(ValueError):
    pass


@dataclass
class _Worker:
    """What this process's worker needs while it runs jobs."""

    name: str
    handler: JobHandler
    report: WorkerReport
    on_job: JobListener | None

    def attempt(self, job: Job) -> str | None:
        try:
            return self.handler(job)
        except Exception as error:
            # The worker outlives one broken job; its reason is kept and the traceback logged.
            log.exception("job %s (%s, %s) broke", job.id, job.site_key, job.lang)
            return f"unexpected error: {error!r}"

    def heard(self, job: Job, failure: str | None) -> None:
        if failure is None:
            self.report.done += 1
        else:
            self.report.failed += 1
        if self.on_job is not None:
            self.on_job(job, failure)


class JobQueue:
    """The jobs of one database on one queue engine (``sites_data.job_engine``)."""

    def __init__(self, database: Database, engine: Huey, policy: RetryPolicy | None = None) -> None:
        self._database = database
        self.engine = engine
        self.policy = policy or RetryPolicy()
        # The engine's own retries are for a failure around the job (the database out of
        # reach); a job that fails is retried by ``_run``, which counts its attempts.
        self._task = engine.task(
            name="heritage_guide_job", retries=3, retry_delay=self.policy.first_delay_s
        )(self._run)
        self._worker: _Worker | None = None

    def enqueue(self, kind: JobKind, site_key: str, lang: str, requested_by: str) -> Job:
        """Ask for a job; one already waiting for the same work is reused, not doubled. Its
        message goes to the engine when the transaction commits, never for work rolled back."""
        with self._database.transaction() as session:
            row = session.scalar(
                select(JobRow).where(
                    JobRow.kind == kind.value,
                    JobRow.site_key == site_key,
                    JobRow.lang == lang,
                    JobRow.status == JobStatus.QUEUED.value,
                )
            )
            if row is None:
                row = JobRow(
                    kind=kind.value,
                    site_key=site_key,
                    lang=lang,
                    status=JobStatus.QUEUED.value,
                    requested_by=requested_by,
                    created_at=utcnow(),
                    attempts=0,
                )
                session.add(row)
                session.flush()
                self._send_on_commit(session, row.id, kind)
            return _job(row)

    def _send_on_commit(self, session: Session, job_id: int, kind: JobKind) -> None:
        def send(_session: Session) -> None:
            self._send(job_id, kind)

        event.listen(session, "after_commit", send, once=True)

    def _send(self, job_id: int, kind: JobKind, delay_s: float | None = None) -> None:
        try:
            self.engine.enqueue(self._task.s(job_id, priority=PRIORITY[kind], delay=delay_s))
        except Exception:
            # The job's row is saved and stays queued; `guide jobs retry` sends it again.
            log.exception("job %s is saved but the queue engine could not take it", job_id)

    def get(self, job_id: int) -> Job:
        with self._database.reading() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise UnknownJob(f"no job has the number {job_id}")
            return _job(row)

    def for_site(self, site_key: str, limit: int = 20) -> list[Job]:
        """The site's most recent jobs, newest first."""
        return self.listed(site_key=site_key, limit=limit)

    def listed(
        self, site_key: str | None = None, status: JobStatus | None = None, limit: int = 100
    ) -> list[Job]:
        """The most recent jobs (of a site, in a state), newest first."""
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        if site_key is not None:
            query = query.where(JobRow.site_key == site_key)
        if status is not None:
            query = query.where(JobRow.status == status.value)
        with self._database.reading() as session:
            return [_job(row) for row in session.scalars(query)]

    def retry(self, job_id: int) -> Job:
        """Queue a failed job again, with its attempts counted afresh; a job still queued
        (its message lost with a queue engine that was down) is sent again."""
        with self._database.transaction() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise UnknownJob(f"no job has the number {job_id}")
            if row.status not in {JobStatus.FAILED.value, JobStatus.QUEUED.value}:
                raise JobNotRetryable(
                    f"job {job_id} is {row.status}: only a failed or queued job can be retried"
                )
            row.status = JobStatus.QUEUED.value
            row.attempts = 0
            row.finished_at = None
            session.flush()
            self._send_on_commit(session, job_id, JobKind(row.kind))
            return _job(row)

    def reclaim_abandoned(self) -> list[Job]:
        """Queue again every running job whose worker's heartbeat is older than the lease:
        its worker died (killed, its machine gone) and the engine will not give it back."""
        cutoff = utcnow() - timedelta(seconds=self.policy.lease_s)
        reclaimed = []
        with self._database.transaction() as session:
            stale = session.scalars(
                select(JobRow).where(
                    JobRow.status == JobStatus.RUNNING.value, JobRow.heartbeat_at < cutoff
                )
            ).all()
            for row in stale:
                taken = session.execute(
                    update(JobRow)
                    .where(JobRow.id == row.id, JobRow.heartbeat_at == row.heartbeat_at)
                    .values(
                        status=JobStatus.QUEUED.value,
                        error=f"its worker {row.worker} stopped; queued again",
                    )
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    reclaimed.append(row.id)
                    self._send_on_commit(session, row.id, JobKind(row.kind))
        return [self.get(job_id) for job_id in reclaimed]

    def work(
        self,
        handler: JobHandler,
        name: str,
        once: bool = False,
        poll_interval_s: float = 5.0,
        on_job: JobListener | None = None,
    ) -> WorkerReport:
        """Run jobs with ``handler`` as worker ``name`` until stopped (SIGINT stops after the
        current job, SIGTERM at once), or, with ``once``, until no job waits; jobs abandoned
        by dead workers are taken back all along. ``once`` runs the jobs waiting when it starts;
        the jobs they queue, and their retries, are left to the next run."""
        report = WorkerReport()
        self._worker = _Worker(name, handler, report, on_job)
        try:
            self.reclaim_abandoned()
            if once:
                # What waits now, not the jobs these jobs queue (a draft's narration).
                for _ in range(self.engine.pending_count()):
                    task = self.engine.dequeue()
                    if task is None:
                        break
                    self.engine.execute(task)
            else:
                stopping = threading.Event()
                sweeper = threading.Thread(target=self._sweep, args=(stopping,), daemon=True)
                sweeper.start()
                try:
                    consumer = self.engine.create_consumer(
                        workers=1, periodic=False, max_delay=poll_interval_s
                    )
                    consumer.run()
                finally:
                    stopping.set()
        finally:
            self._worker = None
        return report

    def _sweep(self, stopping: threading.Event) -> None:
        while not stopping.wait(self.policy.lease_s / 2):
            try:
                self.reclaim_abandoned()
            except Exception:
                log.exception("could not look for jobs abandoned by dead workers")

    def _run(self, job_id: int) -> None:
        """The engine's task: one attempt at the job, if it is still queued."""
        worker = self._worker
        if worker is None:
            raise RuntimeError("jobs are run by `guide narration worker`, not by this process")
        job = self._claim(job_id, worker.name)
        if job is None:
            return  # done, running elsewhere, or gone: a second message for one job
        stop_beating = threading.Event()
        beating = threading.Thread(
            target=self._beat, args=(job_id, worker.name, stop_beating), daemon=True
        )
        beating.start()
        try:
            failure = worker.attempt(job)
        finally:
            stop_beating.set()
            beating.join()
        ended = self._end(job, worker.name, failure)
        if ended is None:
            return  # taken back meanwhile (its heartbeat was late): the other run decides
        worker.heard(ended, failure)
        if ended.status == JobStatus.QUEUED:
            raise RetryTask(delay=self.policy.delay_s(ended.attempts))

    def _claim(self, job_id: int, worker: str) -> Job | None:
        with self._database.transaction() as session:
            now = utcnow()
            taken = session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.RUNNING.value,
                    worker=worker,
                    started_at=now,
                    heartbeat_at=now,
                    finished_at=None,
                    attempts=JobRow.attempts + 1,
                )
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return None
            return _job(session.get_one(JobRow, job_id))

    def _beat(self, job_id: int, worker: str, stop: threading.Event) -> None:
        while not stop.wait(self.policy.lease_s / 4):
            try:
                with self._database.transaction() as session:
                    session.execute(
                        update(JobRow)
                        .where(JobRow.id == job_id, JobRow.worker == worker)
                        .where(JobRow.status == JobStatus.RUNNING.value)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:
                log.exception("job %s: the heartbeat could not be written", job_id)

    def _end(self, job: Job, worker: str, failure: str | None) -> Job | None:
        if failure is None:
            status, finished = JobStatus.DONE, utcnow()
        elif job.attempts < self.policy.attempts:
            status, finished = JobStatus.QUEUED, None
        else:
            status, finished = JobStatus.FAILED, utcnow()
        with self._database.transaction() as session:
            ended = session.execute(
                update(JobRow)
                .where(JobRow.id == job.id, JobRow.worker == worker)
                .where(JobRow.status == JobStatus.RUNNING.value)
                .values(status=status.value, finished_at=finished, error=failure)
            )
            if ended.rowcount != 1:  # type: ignore[attr-defined]
                return None
        return replace(job, status=status, finished_at=finished, error=failure)


class JobSettings(Protocol):
    """What the jobs read of the settings."""

    @property
    def jobs_url(self) -> str: ...
    @property
    def job_attempts(self) -> int: ...
    @property
    def job_retry_delay_s(self) -> float: ...
    @property
    def job_lease_s(self) -> float: ...


def open_job_queue(database: Database, settings: JobSettings) -> JobQueue:
    policy = RetryPolicy(settings.job_attempts, settings.job_retry_delay_s, settings.job_lease_s)
    return JobQueue(database, open_job_engine(settings.jobs_url), policy)


def narration_changed(before: Site | None, after: Site) -> list[str]:
    """The languages whose narration script is new or different."""
    return [
        lang
        for lang, text in after.narration.items()
        if before is None
        or lang not in before.narration
        or before.narration[lang].text != text.text
    ]


def narration_rebuilds(queue: JobQueue) -> SiteListener:
    """A site listener that queues the rebuild of every narration a change made new or
    different, in the change's own transaction, whoever made it (staff, a load of the files,
    machine drafts)."""

    def queue_rebuilds(change: SiteChanged) -> None:
        for lang in narration_changed(change.before, change.after):
            queue.enqueue(JobKind.NARRATION, change.key, lang, change.author)

    return queue_rebuilds


def site_store(database: Database, queue: JobQueue) -> SiteStore:
    """The site store of a guide process: every change queues the narration it needs rebuilt."""
    return SiteStore(database, [narration_rebuilds(queue)])
