"""The narration worker: drafts the translations and builds the narration that changes
asked for.

Staff asking for machine drafts, and every change to a narration text, put a job per site
and language in the database's job queue (``sites_data.jobs``). A worker takes the oldest
waiting job (translations first: their drafts queue narration in turn), does it, and marks
it done, or failed with the reason staff then see on the site's page. ``JobQueue.claim``
gives each job to exactly one worker, so any number of workers, on any number of machines,
may share one queue.
"""

import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narration.errors import NarrationError
from narration.service import Narration
from sites_data.activity import ActivityLog, Counted
from sites_data.jobs import Job, JobKind, JobQueue
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage
from sites_data.store import UnknownSite

log = logging.getLogger(__name__)


FILL_REQUESTER = "guide (narration missing at start)"


def queue_missing(narration: Narration, queue: JobQueue, activity: ActivityLog) -> list[Job]:
    """Queue every public site × language that has no narration yet, most played sites first.

    A worker does this when it starts, so a new installation's QR pages get their audio
    without anyone running a build; items already waiting are not queued twice.
    """
    current = narration.library.current_versions()
    plays = Counter[str]()
    for count in activity.daily_counts(Counted.PLAY):
        plays[count.site_key] += count.count
    keys = sorted(
        (stored.site.key for stored in narration.store.sites()),
        key=lambda key: (-plays[key], key),
    )
    return [
        queue.enqueue(JobKind.NARRATION, key, lang, FILL_REQUESTER)
        for key in keys
        for lang in LANGUAGE_CODES
        if (key, lang) not in current
    ]


def worker_name() -> str:
    """Unique among the workers sharing a queue: the machine and the process."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class WorkerReport:
    done: int = 0
    failed: int = 0


class NarrationWorker:
    def __init__(self, narration: Narration, queue: JobQueue, name: str) -> None:
        self.narration = narration
        self.queue = queue
        self.name = name
        self.stopping = threading.Event()

    def _do(self, job: Job) -> str | None:
        """Do one job: None when it worked, else the reason."""
        if job.kind == JobKind.TRANSLATION:
            drafts = self.narration.create_machine_drafts(
                job.site_key, [job.lang], author=job.requested_by
            )
            return drafts.failed.get(job.lang)
        report = self.narration.build([job.site_key], [job.lang], jobs=1)
        return "; ".join(failure.detail for failure in report.failures) or None

    def _failure(self, job: Job) -> str | None:
        """Do one job, whatever goes wrong: None when it worked, else the reason."""
        try:
            return self._do(job)
        except (NarrationError, UnsupportedLanguage, UnknownSite) as error:
            return str(error)
        except Exception as error:
            # The worker outlives one broken job; its reason is kept and the traceback logged.
            log.exception("job %s (%s, %s) broke", job.id, job.site_key, job.lang)
            return f"unexpected error: {error!r}"

    def _claim(self, kinds: Sequence[JobKind]) -> Job | None:
        for kind in kinds:
            job = self.queue.claim(kind, self.name)
            if job is not None:
                return job
        return None

    def run(
        self,
        once: bool = False,
        poll_interval_s: float = 5.0,
        on_job: Callable[[Job, str | None], None] | None = None,
        kinds: Sequence[JobKind] = (JobKind.TRANSLATION, JobKind.NARRATION),
    ) -> WorkerReport:
        """Take and do jobs of ``kinds`` (in that order of preference) until ``stopping`` is
        set, or, with ``once``, until none waits. ``on_job`` hears about each job as it ends,
        with its failure reason or None."""
        report = WorkerReport()
        while not self.stopping.is_set():
            job = self._claim(kinds)
            if job is None:
                if once:
                    break
                self.stopping.wait(poll_interval_s)
                continue
            failure = self._failure(job)
            if failure is None:
                self.queue.finish(job.id)
                report.done += 1
            else:
                self.queue.fail(job.id, failure)
                report.failed += 1
            if on_job is not None:
                on_job(job, failure)
        return report
