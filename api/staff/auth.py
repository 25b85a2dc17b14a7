"""Who is asking: the session cookie, the CSRF check and signing in and out.

The pages and the JSON API share these dependencies. ``current_staff`` refuses a
request without a live session, and checks the CSRF token of every request that can
change something (anything but GET, HEAD and OPTIONS), so no state-changing route can
forget it. Refusals are ``StaffRefused`` exceptions; ``api.admin`` answers them as JSON
under ``/api/`` and as a page (or a redirect to the sign-in page) elsewhere.
"""

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from api.settings import Settings
from api.staff.accounts import StaffAccounts
from api.staff.audit import Action, AuditLog
from api.staff.limits import LoginLimiter, LoginLimits
from api.staff.sessions import OpenedSession, Staff, StaffSessions
from api.staff.text import StaffMessageError
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


def sign_in_required() -> StaffRefused:
    return StaffRefused(401, "refused_sign_in_first")


def get_services(request: Request) -> StaffServices:
    services: StaffServices = request.app.state.staff
    return services


ServicesDep = Annotated[StaffServices, Depends(get_services)]


def client_address(request: Request) -> str:
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
            raise StaffRefused(403, "refused_csrf")
    return staff


def admin_staff(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    if not staff.is_admin:
        raise StaffRefused(403, "refused_admins_only")
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]
AdminStaff = Annotated[Staff, Depends(admin_staff)]


def _check_origin(request: Request) -> None:
    """A sign-in must come from the guide's own pages (or a client that sends no Origin)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise StaffRefused(403, "refused_foreign_sign_in")


def sign_in(
    services: StaffServices, request: Request, username: str, password: str
) -> OpenedSession:
    """Check the password under the rate limits, open a session, and log what happened."""
    _check_origin(request)
    address = client_address(request)
    wait = services.limiter.retry_after(username, address)
    if wait is not None:
        services.audit.record(username, Action.LOGIN_BLOCKED, username, address=address)
        minutes = -(-wait // 60)
        raise StaffRefused(
            429, "refused_too_many_sign_ins", {"Retry-After": str(wait)}, minutes=minutes
        )
    account = services.accounts.verify(username, password)
    if account is None:
        services.limiter.record_failure(username, address)
        services.audit.record(username, Action.LOGIN_FAILED, username, address=address)
        raise StaffRefused(401, "refused_wrong_password")
    services.limiter.clear_account(username)
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
