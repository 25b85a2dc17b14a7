"""Background jobs and their status, in the database so that several servers share them.

A save asks for work (``enqueue``); any worker process takes the oldest waiting job
(``claim``, safe when several claim at once), then marks it done or failed. Staff see
each job's status on the site's page.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from sites_data.db import Base, Database, utcnow
from sites_data.schema import Site
from sites_data.store import SiteChanged, SiteListener, SiteStore


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


class JobKind(StrEnum):
    NARRATION = "narration"  # rebuild a site's narration audio in one language
    TRANSLATION = "translation"  # machine-draft a site's texts in one language


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


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
    )


class JobQueue:
    def __init__(self, database: Database) -> None:
        self._database = database

    def enqueue(self, kind: JobKind, site_key: str, lang: str, requested_by: str) -> Job:
        """Ask for a job; one already waiting for the same work is reused, not doubled."""
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
                )
                session.add(row)
                session.flush()
            return _job(row)

    def claim(self, kind: JobKind, worker: str) -> Job | None:
        """Take the oldest waiting job of ``kind`` for ``worker``, or None if none waits."""
        while True:
            with self._database.transaction() as session:
                job_id = session.scalar(
                    select(JobRow.id)
                    .where(JobRow.kind == kind.value, JobRow.status == JobStatus.QUEUED.value)
                    .order_by(JobRow.id)
                    .limit(1)
                )
                if job_id is None:
                    return None
                # Only one worker's UPDATE matches a still-queued row; the others try the next.
                taken = session.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED.value)
                    .values(status=JobStatus.RUNNING.value, started_at=utcnow(), worker=worker)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return _job(session.get_one(JobRow, job_id))

    def finish(self, job_id: int) -> None:
        self._end(job_id, JobStatus.DONE, None)

    def fail(self, job_id: int, error: str) -> None:
        self._end(job_id, JobStatus.FAILED, error)

    def _end(self, job_id: int, status: JobStatus, error: str | None) -> None:
        with self._database.transaction() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id)
                .values(status=status.value, finished_at=utcnow(), error=error)
            )

    def for_site(self, site_key: str, limit: int = 20) -> list[Job]:
        """The site's most recent jobs, newest first."""
        query = (
            select(JobRow)
            .where(JobRow.site_key == site_key)
            .order_by(JobRow.id.desc())
            .limit(limit)
        )
        with self._database.reading() as session:
            return [_job(row) for row in session.scalars(query)]


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


def site_store(database: Database) -> SiteStore:
    """The site store of a guide process: every change queues the narration it needs rebuilt."""
    return SiteStore(database, [narration_rebuilds(JobQueue(database))])
