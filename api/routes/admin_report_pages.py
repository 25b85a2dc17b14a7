"""The staff pages beyond one site: reports on what tourists did, staff accounts, audit log."""

from collections import defaultdict
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import AdminActor, AdminStaff, CurrentStaff, ServicesDep, StaffActor
from api.input_checks import StoredId
from api.staff import actions
from api.staff.accounts import PASSWORD_MAX_LENGTH, AccountError, Role
from api.staff.audit import Action
from api.staff.auth import StaffRefused
from api.staff.rendering import admin_page
from api.staff.text import StaffMessage
from sites_data.activity import Counted
from sites_data.db import utcnow
from sites_data.languages import LANGUAGE_CODES

router = APIRouter()


ReportDays = Annotated[int, Query(ge=1, le=366, description="How many days back")]
QUESTIONS_PER_PAGE = 20


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    days: ReportDays = 30,
    lang: str = "",
    include_handled: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Unanswered questions by language, narration plays and conversations per day."""
    since = utcnow().date() - timedelta(days=days - 1)
    activity = services.activity
    conversations: dict[object, dict[str, int]] = defaultdict(dict)
    for count in activity.daily_counts(Counted.CONVERSATION, since):
        conversations[count.day][count.lang] = count.count
    return admin_page(
        request,
        "reports.html",
        staff,
        {
            "days": days,
            "lang": lang,
            "include_handled": include_handled,
            "languages": LANGUAGE_CODES,
            "open_by_language": activity.open_questions_by_language(),
            "questions": activity.grouped_questions(
                include_handled, lang or None, (page - 1) * QUESTIONS_PER_PAGE, QUESTIONS_PER_PAGE
            ),
            "page": page,
            "per_page": QUESTIONS_PER_PAGE,
            "plays": activity.daily_counts(Counted.PLAY, since),
            "conversations": dict(conversations),
        },
    )


@router.post("/reports/handled")
def mark_handled(
    actor: StaffActor,
    services: ServicesDep,
    question: Annotated[list[StoredId] | None, Form()] = None,
) -> Response:
    """Mark the ticked questions as handled by this staff member."""
    if not question:
        raise StaffRefused(400, "refused_nothing_ticked")
    actions.mark_handled(services, actor, question)
    return RedirectResponse("/admin/reports", status_code=303)


def _staff_page(
    request: Request,
    admin: AdminStaff,
    services: ServicesDep,
    message: StaffMessage | None = None,
    status: int = 200,
) -> HTMLResponse:
    return admin_page(
        request,
        "staff.html",
        admin,
        {"accounts": services.accounts.accounts(), "roles": list(Role), "message": message},
        status,
    )


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, admin: AdminStaff, services: ServicesDep) -> HTMLResponse:
    """Staff accounts (admins only)."""
    return _staff_page(request, admin, services)


@router.post("/staff", response_class=HTMLResponse)
def create_staff(
    request: Request,
    admin: AdminStaff,
    actor: AdminActor,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=PASSWORD_MAX_LENGTH)],
    role: Annotated[Role, Form()],
) -> Response:
    try:
        actions.create_staff(services, actor, username, password, role)
    except AccountError as error:
        return _staff_page(request, admin, services, error.said, 422)
    return RedirectResponse("/admin/staff", status_code=303)


@router.post("/staff/{username}", response_class=HTMLResponse)
def update_staff(
    username: str,
    request: Request,
    admin: AdminStaff,
    actor: AdminActor,
    services: ServicesDep,
    role: Annotated[Role, Form()],
    active: Annotated[bool, Form()],
) -> Response:
    """Change an account's role or switch it off (its sessions end) or on."""
    try:
        actions.update_staff(services, actor, username, role, active)
    except AccountError as error:
        return _staff_page(request, admin, services, error.said, 422)
    return RedirectResponse("/admin/staff", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, admin: AdminStaff, services: ServicesDep, actor: str = "", action: str = ""
) -> HTMLResponse:
    """The newest staff actions first (admins only)."""
    chosen = Action(action) if action in list(Action) else None
    return admin_page(
        request,
        "audit.html",
        admin,
        {
            "entries": services.audit.entries(500, actor or None, chosen),
            "actions": list(Action),
            "actor": actor,
            "action": action,
        },
    )
