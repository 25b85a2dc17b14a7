"""A real job worker process (the huey consumer of ``JobQueue.work``) with a handler made
for the tests: it writes each attempt's start and end to a log file, takes its time, and
fails where a job's site key asks it to.

    python -m tests.job_consumer LOG_FILE SECONDS_PER_JOB

The database and the queue come from the settings in the environment (DATABASE_URL,
GUIDE_JOBS_URL, GUIDE_JOB_*), as for ``guide narration worker``.
"""

import logging
import sys
import time
from pathlib import Path

from api.settings import Settings
from narration.worker import worker_name
from sites_data.db import Database
from sites_data.jobs import Job, open_job_queue

FAILS_ONCE = "fails-once"  # a site key whose job fails at its first attempt only
ALWAYS_FAILS = "always-fails"


def main(log_file: Path, seconds: float) -> None:
    name = worker_name()

    def note(line: str) -> None:
        with log_file.open("a") as log:
            log.write(f"{line}\n")

    def handler(job: Job) -> str | None:
        note(f"start {job.id} {name} {job.attempts} {time.time()}")
        time.sleep(seconds)
        note(f"end {job.id} {name} {job.attempts} {time.time()}")
        if job.site_key == ALWAYS_FAILS or (job.site_key == FAILS_ONCE and job.attempts == 1):
            return f"attempt {job.attempts} failed on purpose"
        return None

    settings = Settings()
    queue = open_job_queue(Database.open(settings.database_url), settings)
    note(f"ready {name}")
    queue.work(handler, name, poll_interval_s=0.2)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main(Path(sys.argv[1]), float(sys.argv[2]))
