"""Public answers (the same for everyone at one URL) rendered once per content revision.

A tourist's page at its canonical URL (``/s/{key}/{lang}``, ``/map/{lang}``, the site JSON
with ``?lang=``) depends only on the URL and on the content: the sites and their current
narration. It is rendered once per revision of that content, kept in the process, and sent
with a strong ETag (a hash of its bytes, so every guide process gives the same one), a
``Cache-Control`` that lets shared caches (nginx's ``proxy_cache``, a CDN) keep it briefly and
serve it stale while they revalidate, and gzip-compressed once for the clients that take it.
"""

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from time import monotonic

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select

from api.security_headers import content_security_policy
from narration.tables import NarrationAudioRow
from sites_data.db import Database, RevisionRow
from sites_data.store import SiteChanged

# Browsers ask again each time (a 304 costs little); shared caches keep the answer a minute
# and, for ten more, serve it while they fetch the new one in the background.
PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=600"
# An answer chosen from the visitor's cookie or Accept-Language: only their browser keeps it.
PER_VISITOR = "private, no-cache"
VARY_BY_VISITOR = "Accept-Language, Cookie"
# Seconds another guide process's change may take to be seen here.
REVISION_READ_EVERY_S = 1.0
MAX_ANSWERS = 5000


class ContentRevision:
    """The revision of what public pages show: the sites' revisions and the narration.

    Read from the database at most once a second, so that a change made by another guide
    process is served within a second. A change this process makes is heard from the site
    store (``heard``); the store tells its listeners inside the transaction, before it
    commits, so for a second after that the revision is read on every request.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self._lock = Lock()
        self._value: str | None = None
        self._next_read = 0.0
        self._eager_until = 0.0

    def known(self) -> str | None:
        """The revision when it need not be read again yet, else None (then ``current``)."""
        if self._value is None or monotonic() >= self._next_read:
            return None
        return self._value

    def current(self) -> str:
        now = monotonic()
        with self._lock:
            if self._value is None or now >= self._next_read:
                self._value = self._read()
                eager = now < self._eager_until
                self._next_read = now if eager else now + REVISION_READ_EVERY_S
            return self._value

    def heard(self, change: SiteChanged) -> None:
        with self._lock:
            self._next_read = 0.0
            self._eager_until = monotonic() + REVISION_READ_EVERY_S

    def _read(self) -> str:
        sites = select(func.count(RevisionRow.id), func.max(RevisionRow.id))
        audio = select(func.count(NarrationAudioRow.id), func.max(NarrationAudioRow.selected_at))
        with self._database.reading() as session:
            site_stamp = session.execute(sites).one()
            audio_stamp = session.execute(audio).one()
        return f"{tuple(site_stamp)}{tuple(audio_stamp)}"


@dataclass(frozen=True)
class Answer:
    revision: str
    body: bytes
    gzipped: bytes
    etag: str
    headers: dict[str, str]

    @classmethod
    def of(cls, response: Response, revision: str, path: str, tile_origin: str) -> "Answer":
        body = bytes(response.body)
        headers = {
            "Content-Type": response.headers["content-type"],
            "Cache-Control": PUBLIC,
            "Vary": "Accept-Encoding",
        }
        if headers["Content-Type"].startswith("text/html"):
            # Computed once here rather than by api.security_headers on every request.
            headers["Content-Security-Policy"] = content_security_policy(path, body, tile_origin)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return cls(revision, body, gzip.compress(body, 6, mtime=0), etag, headers)

    def response(self, request: Request) -> Response:
        headers = {**self.headers, "ETag": self.etag}
        if self.etag in _etags(request.headers.get("if-none-match", "")):
            del headers["Content-Type"]
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, headers=headers)
        return Response(self.body, headers=headers)


def _etags(if_none_match: str) -> set[str]:
    """The tags a client holds; weak ones too, as a proxy that compressed the answer marks it."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip()}


class PublicAnswers:
    """Per URL, the answer rendered for the current content revision.

    In a route: ``return await answers.respond(request, lambda: HTMLResponse(...))``;
    ``render`` runs (in a worker thread, as it reads the database) only when the URL has no
    answer for the current revision, and raises for a refusal (which is never kept). An
    answer kept is sent without leaving the event loop: the route is ``async`` and takes
    no synchronous dependency, which FastAPI would run in a thread too.
    """

    def __init__(self, revision: ContentRevision, tile_origin: str) -> None:
        self.revision = revision
        self._tile_origin = tile_origin  # for the pages' Content-Security-Policy
        self._lock = Lock()
        self._answers: dict[str, Answer] = {}

    async def respond(
        self, request: Request, render: Callable[[], Response], key: str | None = None
    ) -> Response:
        """``key``: what tells answers apart, when not the whole URL (a query only a script
        reads)."""
        revision = self.revision.known()
        if revision is None:
            revision = await run_in_threadpool(self.revision.current)
        url = key or request.url.path + "?" + request.url.query
        answer = self._answers.get(url)
        if answer is None or answer.revision != revision:
            answer = await run_in_threadpool(self._render, url, render, revision, request.url.path)
        return answer.response(request)

    def _render(self, url: str, render: Callable[[], Response], revision: str, path: str) -> Answer:
        answer = Answer.of(render(), revision, path, self._tile_origin)
        with self._lock:
            if len(self._answers) >= MAX_ANSWERS:
                self._answers.clear()  # old revisions' answers and odd query strings
            self._answers[url] = answer
        return answer


def per_visitor(response: Response) -> Response:
    """Mark an answer chosen from the visitor's cookie or languages as theirs alone."""
    response.headers["Cache-Control"] = PER_VISITOR
    response.headers["Vary"] = VARY_BY_VISITOR
    return response
