"""Request input refused before any route sees it, and 4xx answers that say why.

- Every request body has a size limit that depends on its route, checked against the
  announced length before anything is read and again while it is read: 413.
- A JSON body must hold only what the guide can store and send back: finite numbers and
  valid Unicode. Python's parser takes ``NaN``, ``1e400`` (infinity) and lone surrogates
  (``"\\ud800"``), which later fail to serialise or to store: 422 naming the field.
- Validation errors never echo the input back (it may be megabytes long or unprintable).
"""

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The largest integer every JSON reader keeps exact (JavaScript's Number.MAX_SAFE_INTEGER):
# beyond it, browsers and schema validators round. The databases hold 64 bits, far more.
MAX_ID = 2**53 - 1
StoredId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A revision number or a row id."""

# What the schema promises If-Match takes; 15 digits stay below MAX_ID.
REVISION_PATTERN = r'^(W/)?"?[1-9][0-9]{0,14}"?$'
_REVISION = re.compile(r'(?:W/)?"?([0-9]{1,19})"?', re.ASCII)


def optional_text(**rules: object) -> Callable[[dict[str, Any]], None]:
    """The schema of an optional query or header parameter: absent, or text with these rules
    (``pattern=``, ``enum=``). Not ``null``, which neither can carry."""

    def document(schema: dict[str, Any]) -> None:
        schema.pop("anyOf", None)
        schema.update(type="string", **rules)

    return document


def revision_number(text: str) -> int | None:
    """``7``, ``"7"`` or ``W/"7"`` as 7; None for anything else.

    Only ASCII digits count: ``str.isdigit`` also takes ``²``, which ``int`` refuses.
    """
    found = _REVISION.fullmatch(text.strip())
    if found is None:
        return None
    number = int(found[1])
    return number if 1 <= number <= MAX_ID else None


@dataclass(frozen=True)
class BodyLimit:
    methods: frozenset[str]
    path: re.Pattern[str]
    max_bytes: int
    advice: str


KB = 1024
DEFAULT_BODY_LIMIT = BodyLimit(
    frozenset(), re.compile(""), 64 * KB, "Send less: this route takes small requests only."
)
# The largest site files hold about 100 kB of JSON; a saved form is a little larger.
SITE_DOCUMENT_BYTES = 1024 * KB
BODY_LIMITS = (
    BodyLimit(
        frozenset({"POST"}),
        re.compile(r"/api/chat"),
        16 * KB,
        "Send a shorter message (at most 1000 characters).",
    ),
    BodyLimit(
        frozenset({"POST"}),
        re.compile(r"/api/plays"),
        KB,
        "A play is reported with a site key, a language and a page view id only.",
    ),
    BodyLimit(
        frozenset({"PUT"}),
        re.compile(r"/api/admin/sites/[^/]+"),
        SITE_DOCUMENT_BYTES,
        "Shorten the longest texts of the site.",
    ),
    BodyLimit(
        frozenset({"POST"}),
        re.compile(r"/admin/sites/[^/]+/(save|preview)"),
        SITE_DOCUMENT_BYTES,
        "Shorten the longest texts of the site.",
    ),
)
# Recordings and photos have their own limits (GUIDE_RECORDING_MAX_MB, GUIDE_PHOTO_MAX_MB),
# checked by the staff side.
UNLIMITED_HERE = re.compile(
    r"(/api)?/admin/sites/[^/]+/(recordings(/[^/]+)?|photos(/[0-9a-f]{32})?)"
)


def body_limit(method: str, path: str) -> BodyLimit | None:
    if UNLIMITED_HERE.fullmatch(path):
        return None
    for limit in BODY_LIMITS:
        if method in limit.methods and limit.path.fullmatch(path):
            return limit
    return DEFAULT_BODY_LIMIT


def _size(count: int) -> str:
    return f"{count / KB / KB:.1f} MB" if count >= KB * KB else f"{math.ceil(count / KB)} kB"


def _too_large(path: str, limit: BodyLimit, received: str) -> Response:
    message = (
        f"The request body is {received}; {path} accepts at most {_size(limit.max_bytes)}. "
        f"{limit.advice}"
    )
    if path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=413)
    return PlainTextResponse(message, status_code=413)


def _field(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc) or "the body"


def _unstorable(value: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Where a parsed JSON document holds what cannot be stored or sent back, and why."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while pending:
        loc, item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            yield loc, "is NaN or infinite (numbers beyond ±1.8e308 are); send a finite value"
        elif isinstance(item, str) and not _is_unicode(item):
            yield loc, "holds an unpaired UTF-16 surrogate (such as \\ud800); send valid Unicode"
        elif isinstance(item, list):
            pending.extend(((*loc, index), element) for index, element in enumerate(item))
        elif isinstance(item, dict):
            for key, element in item.items():
                if not _is_unicode(key):
                    yield loc, "a key holds an unpaired UTF-16 surrogate; send valid Unicode"
                else:
                    pending.append(((*loc, key), element))


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problems(body: bytes) -> list[dict[str, Any]]:
    """The JSON body's values that no route could store, as validation errors."""
    try:
        document = json.loads(body)
    except json.JSONDecodeError:
        return []  # malformed JSON: FastAPI answers 422 with the position
    except ValueError:  # Python refuses integers of more than 4300 digits
        return [_problem((), "holds a number with too many digits; send a smaller number")]
    except RecursionError:
        return [_problem((), "is nested too deeply; send a flatter document")]
    return [_problem(loc, reason) for loc, reason in _unstorable(document)]


def _problem(loc: tuple[str | int, ...], reason: str) -> dict[str, Any]:
    return {
        "type": "value_error",
        "loc": ["body", *loc],
        "msg": f"{_field(loc)}: {reason}",
    }


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type = bytes(value).split(b";")[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


class InputChecks:
    """Body size limits per route, and JSON the guide cannot store, refused up front."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = body_limit(scope["method"], path)
        if limit is None:
            await self.app(scope, receive, send)
            return
        announced = _content_length(scope)
        if announced is not None and announced > limit.max_bytes:
            await _too_large(path, limit, _size(announced))(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit.max_bytes:
                response = _too_large(path, limit, f"more than {_size(limit.max_bytes)}")
                await response(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problems = json_problems(body) if body and _is_json(scope) else []
        if problems:
            await JSONResponse({"detail": problems}, status_code=422)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = bytes(value)
            return int(length) if length.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # the disconnect, when the client goes away
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


Loc = tuple[str | int, ...]


def invalid_input(*problems: tuple[Loc, str]) -> RequestValidationError:
    """A 422 for input of the right type that breaks a rule of the guide, in the shape of
    every other 422: ``invalid_input((("query", "near"), "write it as 'lat,lon'"))``."""
    return RequestValidationError(
        [{"type": "value_error", "loc": loc, "msg": message} for loc, message in problems]
    )


def _safe(value: Any) -> str | int:
    return value if isinstance(value, int) else str(value).encode("utf-8", "replace").decode()


async def validation_failed(request: Request, error: Exception) -> Response:
    """422 naming each field and what is wrong with it, without echoing the input."""
    assert isinstance(error, RequestValidationError)
    detail = []
    for problem in error.errors():
        loc = tuple(_safe(part) for part in problem["loc"])
        field = _field(loc[1:] if len(loc) > 1 else loc)
        message = problem["msg"].removeprefix("Value error, ")  # a rule's own sentence
        detail.append({"type": problem["type"], "loc": list(loc), "msg": f"{field}: {message}"})
    return JSONResponse({"detail": detail}, status_code=422)
