"""Who is asking: the session cookie, signing in and out, and the staff side's refusals.

The check of the session and of the CSRF token is ``api.deps.current_staff``. Refusals are
``StaffRefused`` exceptions; ``api.errors`` answers them as JSON under ``/api/`` and as a
page (or a redirect to the sign-in page) elsewhere.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request, Response

from api.services import Services
from api.settings import Settings
from api.staff.audit import Action, Actor
from api.staff.limits import TooManyAttempts
from api.staff.sessions import OpenedSession, Staff

SESSION_COOKIE = "guide_staff"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class StaffRefused(Exception):
    """A request the staff side will not serve; ``message`` tells the person why."""

    status_code: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def client_address(request: Request) -> str:
    """The visitor's address: the connection's, or what a trusted proxy forwarded
    (``ProxyHeadersMiddleware`` in ``api.app``, set by ``GUIDE_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


def _check_origin(request: Request) -> None:
    """A sign-in must come from the guide's own pages (or a client that sends no Origin)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise StaffRefused(403, "Sign in from the guide's own sign-in page.")


def sign_in(services: Services, request: Request, username: str, password: str) -> OpenedSession:
    """Check the password under the rate limits, open a session, and log what happened."""
    _check_origin(request)
    address = client_address(request)
    try:
        attempt = services.limiter.reserve(username, address)
    except TooManyAttempts as refused:
        services.audit.record(Actor(username, address), Action.LOGIN_BLOCKED, username)
        wait = refused.retry_after_s
        minutes = -(-wait // 60)
        raise StaffRefused(
            429,
            f"Too many failed sign-ins; try again in {minutes} minute(s).",
            {"Retry-After": str(wait)},
        ) from None
    account = services.accounts.verify(username, password)
    if account is None:
        services.audit.record(Actor(username, address), Action.LOGIN_FAILED, username)
        raise StaffRefused(401, "Wrong username or password.")
    services.limiter.succeeded(attempt)
    services.audit.record(Actor(username, address), Action.LOGIN, username)
    return services.sessions.open(account)


def set_session_cookie(
    response: Response, opened: OpenedSession, request: Request, settings: Settings
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=int(settings.staff_session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=settings.behind_https or request.url.scheme == "https",
        path="/",
    )


def sign_out(services: Services, request: Request, staff: Staff, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.sessions.close(token)
    services.audit.record(
        Actor(staff.username, client_address(request)), Action.LOGOUT, staff.username
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
