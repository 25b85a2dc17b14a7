"""The queue engine the background jobs run on: huey, with its SQLite storage on one
machine and Redis past one, chosen by the URL of the jobs setting."""

from pathlib import Path
from urllib.parse import urlsplit

from huey import Huey, PriorityRedisHuey, SqliteHuey

QUEUE_NAME = "heritage-guide"


class UnknownJobEngine(ValueError):
    pass


def check_job_url(url: str) -> str:
    """``url`` if it names a queue: ``sqlite:///path`` (relative to the working directory;
    four slashes for an absolute path) or ``redis://[:password@]host:port/db``."""
    parts = urlsplit(url)
    if (parts.scheme == "sqlite" and len(parts.path) > 1) or (
        parts.scheme in {"redis", "rediss"} and parts.hostname
    ):
        return url
    raise UnknownJobEngine(
        f"{url!r} is not a job queue; write sqlite:///var/jobs.db (one machine) or "
        "redis://redis-host:6379/0 (several)"
    )


def open_job_engine(url: str) -> Huey:
    """The huey instance of the queue ``url`` names."""
    parts = urlsplit(check_job_url(url))
    if parts.scheme == "sqlite":
        path = Path(parts.path[1:])
        path.parent.mkdir(parents=True, exist_ok=True)
        # No results are kept: a job's outcome is its status row in the database.
        return SqliteHuey(
            QUEUE_NAME, filename=str(path), results=False, timeout=30, strict_fifo=True, fsync=True
        )
    return PriorityRedisHuey(QUEUE_NAME, url=url, results=False)
