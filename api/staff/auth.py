"""Who is asking: the session cookie, signing in and out, and the staff side's refusals.

The check of the session and of the CSRF token is ``api.deps.current_staff``. Refusals are
``StaffRefused`` exceptions; ``api.errors`` answers them as JSON under ``/api/`` and as a
page (or a redirect to the sign-in page) elsewhere.
"""

from urllib.parse import urlsplit

from fastapi import Request, Response

from api.services import Services
from api.settings import Settings
from api.staff.audit import Action, Actor
from api.staff.limits import TooManyAttempts
from api.staff.sessions import OpenedSession, Staff
from api.staff.text import StaffMessageError

SESSION_COOKIE = "guide_staff"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class StaffRefused(StaffMessageError):
    """A request the staff side will not serve; ``said`` tells the person why."""

    def __init__(
        self,
        status_code: int,
        message_key: str,
        headers: dict[str, str] | None = None,
        /,
        **values: object,
    ) -> None:
        super().__init__(message_key, **values)
        self.status_code = status_code
        self.headers = headers or {}


def client_address(request: Request) -> str:
    """The visitor's address: the connection's, or what a trusted proxy forwarded
    (``ProxyHeadersMiddleware`` in ``api.app``, set by ``GUIDE_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


def _check_origin(request: Request) -> None:
    """A sign-in must come from the guide's own pages (or a client that sends no Origin)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise StaffRefused(403, "refused_foreign_sign_in")


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
            429, "refused_too_many_sign_ins", {"Retry-After": str(wait)}, minutes=minutes
        ) from None
    account = services.accounts.verify(username, password)
    if account is None:
        services.audit.record(Actor(username, address), Action.LOGIN_FAILED, username)
        raise StaffRefused(401, "refused_wrong_password")
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
