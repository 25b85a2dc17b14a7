"""Rendering the staff pages: one layout, the staff member's language, the CSRF token."""

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.staff.accounts import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from api.staff.auth import CSRF_FIELD, StaffRefused
from api.staff.field_labels import field_label
from api.staff.sessions import Staff
from api.staff.text import ADMIN_LANGUAGE_COOKIE, AdminText, admin_language, local_time
from api.static_assets import asset_url
from sites_data.languages import LANGUAGES

templates = Jinja2Templates(directory=Path(__file__).parents[1] / "templates")
templates.env.globals.update(
    asset_url=asset_url,
    password_min_length=PASSWORD_MIN_LENGTH,
    password_max_length=PASSWORD_MAX_LENGTH,
)
templates.env.filters["local_time"] = local_time
LANGUAGE_NAMES = {language.code: language.native_name for language in LANGUAGES}
COOKIE_SECONDS = 365 * 24 * 3600


def login_url(next_path: str = "/admin") -> str:
    return f"/admin/login?next={quote(next_path, safe='/')}"


def admin_page(
    request: Request,
    name: str,
    staff: Staff | None,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    ui = admin_language(request)
    t = AdminText(ui)
    response = templates.TemplateResponse(
        request,
        f"admin/{name}",
        {
            "t": t,
            "field_label": lambda path: field_label(path, t),
            "ui": ui,
            "staff": staff,
            "csrf_field": CSRF_FIELD,
            "language_names": LANGUAGE_NAMES,
            **context,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    # Staff pages are never shown inside another site's frame (clickjacking).
    response.headers["X-Frame-Options"] = "DENY"
    if request.query_params.get("ui") == ui:
        response.set_cookie(ADMIN_LANGUAGE_COOKIE, ui, max_age=COOKIE_SECONDS, samesite="lax")
    return response


def refusal_page(request: Request, error: StaffRefused) -> HTMLResponse:
    response = admin_page(request, "refused.html", None, {"message": error.said}, error.status_code)
    response.headers.update(error.headers)
    return response
