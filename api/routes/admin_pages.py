"""The staff pages: signing in and out, and the list of sites."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CurrentStaff, NarrationDep, ServicesDep, SettingsDep, StoreDep
from api.routes import admin_photo_pages, admin_report_pages, admin_site_pages
from api.staff.accounts import PASSWORD_MAX_LENGTH
from api.staff.api_models import admin_summary
from api.staff.auth import StaffRefused, set_session_cookie, sign_in, sign_out
from api.staff.listing import SiteFilter, Visibility, find_sites
from api.staff.rendering import admin_page
from api.staff.site_gaps import site_gaps
from sites_data.schema import FORMER_PROVINCE_BOUNDS, Category

router = APIRouter(prefix="/admin", include_in_schema=False)
router.include_router(admin_site_pages.router)
router.include_router(admin_photo_pages.router)
router.include_router(admin_report_pages.router)


def _safe_next(target: str) -> str:
    """Only a staff page of this guide: never an address elsewhere."""
    return target if target.startswith("/admin") and not target.startswith("//") else "/admin"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/admin") -> HTMLResponse:
    return admin_page(request, "login.html", None, {"next": _safe_next(next), "username": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=PASSWORD_MAX_LENGTH)],
    next: Annotated[str, Form()] = "/admin",
) -> Response:
    try:
        opened = sign_in(services, request, username, password)
    except StaffRefused as error:
        page = admin_page(
            request,
            "login.html",
            None,
            {"next": _safe_next(next), "username": username, "message": error.said},
            error.status_code,
        )
        page.headers.update(error.headers)
        return page
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, opened, request, settings)
    return response


@router.post("/logout")
def logout(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    response = RedirectResponse("/admin/login", status_code=303)
    sign_out(services, request, staff, response)
    return response


@router.get("", response_class=HTMLResponse)
def site_list(
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    narration: NarrationDep,
    q: str = "",
    category: str = "",
    former_province: str = "",
    visibility: Visibility = Visibility.ALL,
    needs_review: bool = False,
) -> HTMLResponse:
    """Every site, archived ones too, with search and filters."""
    wanted = SiteFilter(q, category or None, former_province or None, visibility, needs_review)
    return admin_page(
        request,
        "sites.html",
        staff,
        {
            "wanted": wanted,
            "sites": [
                (admin_summary(stored), site_gaps(stored.site, narration.versions(stored.site.key)))
                for stored in find_sites(store.sites(True), wanted)
            ],
            "categories": [category.value for category in Category],
            "provinces": list(FORMER_PROVINCE_BOUNDS),
            "visibilities": [visibility.value for visibility in Visibility],
        },
    )
