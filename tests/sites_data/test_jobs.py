"""The background job table: queued once, taken by exactly one worker, done or failed."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from sites_data.db import Database
from sites_data.jobs import Job, JobKind, JobQueue, JobStatus


def test_a_job_waiting_for_the_same_work_is_not_queued_twice(engine: Engine) -> None:
    queue = JobQueue(Database(engine))
    first = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    again = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "adam")
    other = queue.enqueue(JobKind.NARRATION, "thap-doi", "fr", "adam")
    assert again.id == first.id and other.id != first.id
    assert [(job.lang, job.status) for job in queue.for_site("thap-doi")] == [
        ("fr", JobStatus.QUEUED),
        ("en", JobStatus.QUEUED),
    ]


def test_workers_take_the_oldest_job_and_report_how_it_ended(engine: Engine) -> None:
    queue = JobQueue(Database(engine))
    en = queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva")
    fr = queue.enqueue(JobKind.NARRATION, "thap-doi", "fr", "eva")
    taken = queue.claim(JobKind.NARRATION, "worker-1")
    assert taken is not None and taken.id == en.id
    assert taken.status == JobStatus.RUNNING and taken.worker == "worker-1"
    assert taken.started_at is not None
    queue.finish(en.id)
    second = queue.claim(JobKind.NARRATION, "worker-1")
    assert second is not None and second.id == fr.id
    queue.fail(fr.id, "espeak-ng is not installed")
    assert queue.claim(JobKind.NARRATION, "worker-1") is None
    by_lang = {job.lang: job for job in queue.for_site("thap-doi")}
    assert by_lang["en"].status == JobStatus.DONE and by_lang["en"].finished_at is not None
    assert by_lang["fr"].status == JobStatus.FAILED
    assert by_lang["fr"].error == "espeak-ng is not installed"
    # Work asked for again after the job ran is a new job.
    assert queue.enqueue(JobKind.NARRATION, "thap-doi", "en", "eva").id not in {en.id, fr.id}


def test_concurrent_workers_never_take_the_same_job(engine: Engine) -> None:
    queue = JobQueue(Database(engine))
    for lang in ("vi", "en", "zh", "ko", "ja", "fr", "ru", "de"):
        queue.enqueue(JobKind.NARRATION, "thap-doi", lang, "eva")

    def drain(worker: str) -> list[Job]:
        own = JobQueue(Database(engine))  # each worker as its own process would: its own sessions
        taken = []
        while (job := own.claim(JobKind.NARRATION, worker)) is not None:
            taken.append(job)
        return taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(drain, [f"worker-{n}" for n in range(4)]))
    ids = [job.id for taken in results for job in taken]
    assert len(ids) == 8 and len(set(ids)) == 8
