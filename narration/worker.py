"""The narration worker: drafts the translations and builds the narration that changes
asked for.

Staff asking for machine drafts, and every change to a narration text, queue a job per site
and language (``sites_data.jobs``, on the huey queue engine). ``guide narration worker``
runs them with ``NarrationJobs``: a job that fails is retried later, and after its last
attempt is marked failed with the reason staff then see on the site's page. Any number of
workers, on any number of machines sharing the queue, run each job once.
"""

import os
import socket
from collections import Counter

from narration.errors import NarrationError
from narration.service import Narration
from sites_data.activity import ActivityLog, Counted
from sites_data.jobs import Job, JobKind, JobQueue
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage
from sites_data.store import UnknownSite

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


class NarrationJobs:
    """Does the narration and translation jobs (a ``JobHandler``)."""

    def __init__(self, narration: Narration) -> None:
        self.narration = narration

    def __call__(self, job: Job) -> str | None:
        """Do one job: None when it worked, else the reason."""
        try:
            if job.kind == JobKind.TRANSLATION:
                drafts = self.narration.create_machine_drafts(
                    job.site_key, [job.lang], author=job.requested_by
                )
                return drafts.failed.get(job.lang)
            report = self.narration.build([job.site_key], [job.lang], jobs=1)
            return "; ".join(failure.detail for failure in report.failures) or None
        except (NarrationError, UnsupportedLanguage, UnknownSite) as error:
            return str(error)
