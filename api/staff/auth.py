"""Who is asking: the session cookie, the CSRF check and signing in and out.

The pages and the JSON API share these dependencies. ``current_staff`` refuses a
request without a live session, and checks the CSRF token of every request that can
change something (anything but GET, HEAD and OPTIONS), so no state-changing route can
forget it. Refusals are ``StaffRefused`` exceptions; ``api.admin`` answers them as JSON
under ``/api/`` and as a page (or a redirect to the sign-in page) elsewhere.
"""

import hmac
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from api.settings import Settings
from api.staff.accounts import StaffAccounts
from api.staff.audit import Action, AuditLog
from api.staff.limits import LoginLimiter, LoginLimits, TooManyAttempts
from api.staff.sessions import OpenedSession, Staff, StaffSessions
from sites_data.activity import ActivityLog
from sites_data.jobs import JobQueue

SESSION_COOKIE = "guide_staff"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class StaffServices:
    accounts: StaffAccounts
    sessions: StaffSessions
    limiter: LoginLimiter
    audit: AuditLog
    activity: ActivityLog
    jobs: JobQueue

    @classmethod
    def open(cls, engine: Engine, settings: Settings) -> "StaffServices":
        return cls(
            accounts=StaffAccounts(engine),
            sessions=StaffSessions(engine, timedelta(hours=settings.staff_session_hours)),
            limiter=LoginLimiter(engine, LoginLimits()),
            audit=AuditLog(engine),
            activity=ActivityLog(engine),
            jobs=JobQueue(engine),
        )


@dataclass
class StaffRefused(Exception):
    """A request the staff side will not serve; ``message`` tells the person why."""

    status_code: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def sign_in_required() -> StaffRefused:
    return StaffRefused(401, "Sign in first (staff only).")


def get_services(request: Request) -> StaffServices:
    services: StaffServices = request.app.state.staff
    return services


ServicesDep = Annotated[StaffServices, Depends(get_services)]


def client_address(request: Request) -> str:
    """The visitor's address: the connection's, or what a trusted proxy forwarded
    (``ProxyHeadersMiddleware`` in ``api.app``, set by ``GUIDE_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


async def _sent_csrf_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def current_staff(request: Request, services: ServicesDep) -> Staff:
    """The signed-in staff member; for a state-changing request, also a valid CSRF token."""
    token = request.cookies.get(SESSION_COOKIE)
    staff = await run_in_threadpool(services.sessions.find, token) if token else None
    if staff is None:
        raise sign_in_required()
    if request.method not in SAFE_METHODS:
        sent = await _sent_csrf_token(request)
        if not hmac.compare_digest(sent.encode(), staff.csrf_token.encode()):
            raise StaffRefused(
                403,
                "This request did not carry the page's security token (CSRF check failed); "
                "reload the page and try again.",
            )
    return staff


def admin_staff(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    if not staff.is_admin:
        raise StaffRefused(403, "Only an admin may do this; ask an admin of the guide.")
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]
AdminStaff = Annotated[Staff, Depends(admin_staff)]


def _check_origin(request: Request) -> None:
    """A sign-in must come from the guide's own pages (or a client that sends no Origin)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise StaffRefused(403, "Sign in from the guide's own sign-in page.")


def sign_in(
    services: StaffServices, request: Request, username: str, password: str
) -> OpenedSession:
    """Check the password under the rate limits, open a session, and log what happened."""
    _check_origin(request)
    address = client_address(request)
    try:
        attempt = services.limiter.reserve(username, address)
    except TooManyAttempts as refused:
        services.audit.record(username, Action.LOGIN_BLOCKED, username, address=address)
        wait = refused.retry_after_s
        minutes = -(-wait // 60)
        raise StaffRefused(
            429,
            f"Too many failed sign-ins; try again in {minutes} minute(s).",
            {"Retry-After": str(wait)},
        ) from None
    account = services.accounts.verify(username, password)
    if account is None:
        services.audit.record(username, Action.LOGIN_FAILED, username, address=address)
        raise StaffRefused(401, "Wrong username or password.")
    services.limiter.succeeded(attempt)
    services.audit.record(username, Action.LOGIN, username, address=address)
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


def sign_out(services: StaffServices, request: Request, staff: Staff, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.sessions.close(token)
    services.audit.record(
        staff.username, Action.LOGOUT, staff.username, address=client_address(request)
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
