"""The JSON admin API: sign-in, sites with optimistic locking, staff.

Every route but ``login`` needs a staff session, and every change a CSRF token
(``X-CSRF-Token``). A change to a site names the revision it was based on in
``If-Match``; when someone saved in between it is refused with 412 and the current
version.
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api.deps import (
    AdminActor,
    AdminStaff,
    CurrentStaff,
    ServicesDep,
    SettingsDep,
    StaffActor,
    StoreDep,
)
from api.input_checks import invalid_input
from api.refusals import refusals
from api.routes import admin_narration_api, admin_photos_api, admin_reports_api
from api.routes.if_match import IfMatch, revision_from_if_match
from api.routes.narration import audio_url
from api.staff import actions, editing
from api.staff.api_models import (
    SITE_CHANGE_REFUSALS,
    AdminSite,
    AdminSiteSummary,
    AuditEntryPublic,
    JobPublic,
    LoginRequest,
    RestoreRequest,
    ReviewRequest,
    RevisionPublic,
    StaffAccountPublic,
    StaffCreate,
    StaffPublic,
    StaffUpdate,
    admin_site,
    admin_summary,
    site_problems,
)
from api.staff.auth import set_session_cookie, sign_in, sign_out
from api.staff.listing import SiteFilter, Visibility, find_sites
from api.staff.recordings import upload_details
from sites_data.files import validation_problems
from sites_data.schema import Category, Site
from sites_data.store import StoredSite

router = APIRouter(prefix="/api/admin", tags=["admin"], responses=refusals(401, 403))
router.include_router(admin_reports_api.router)
router.include_router(admin_narration_api.router)
router.include_router(admin_photos_api.router)

AUDIT_PAGE_MAX = 1000


def _site_response(stored: StoredSite) -> JSONResponse:
    return JSONResponse(
        admin_site(stored).model_dump(mode="json"), headers={"ETag": f'"{stored.revision}"'}
    )


@router.post("/login", responses=refusals(429))
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    services: ServicesDep,
    settings: SettingsDep,
) -> StaffPublic:
    """Sign in; the session cookie is set and the CSRF token for later changes returned."""
    opened = sign_in(services, request, body.username, body.password)
    set_session_cookie(response, opened, request, settings)
    staff = opened.staff
    return StaffPublic(username=staff.username, role=staff.role, csrf_token=staff.csrf_token)


@router.post("/logout", status_code=204)
def logout(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    response = Response(status_code=204)
    sign_out(services, request, staff, response)
    return response


@router.get("/me")
def me(staff: CurrentStaff) -> StaffPublic:
    """Who is signed in, and the CSRF token of this session."""
    return StaffPublic(username=staff.username, role=staff.role, csrf_token=staff.csrf_token)


@router.get("/sites")
def list_sites(
    _staff: CurrentStaff,
    store: StoreDep,
    q: str = "",
    category: Category | None = None,
    former_province: str | None = None,
    visibility: Visibility = Visibility.ALL,
    needs_review: bool = False,
) -> list[AdminSiteSummary]:
    """Every site, archived ones too, with search and filters."""
    wanted = SiteFilter(q, category, former_province, visibility, needs_review)
    return [admin_summary(stored) for stored in find_sites(store.sites(True), wanted)]


@router.get("/sites/{key}", response_model=AdminSite, responses=refusals(404))
def get_site(key: str, _staff: CurrentStaff, store: StoreDep) -> JSONResponse:
    """The site as stored; ``ETag`` is its revision, to send back as ``If-Match``."""
    return _site_response(store.get(key))


@router.put(
    "/sites/{key}",
    response_model=AdminSite,
    responses=SITE_CHANGE_REFUSALS,
)
def put_site(
    key: str,
    document: dict[str, Any],
    actor: StaffActor,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Save the whole site document; refused (412) unless ``If-Match`` is the current revision."""
    based_on = revision_from_if_match(if_match)
    try:
        site = Site.model_validate(document)
    except ValidationError as error:
        raise site_problems(validation_problems("", error)) from None
    if site.key != key:
        raise invalid_input((("body", "key"), f"is {site.key!r}, not {key!r}"))
    return _site_response(editing.save_site(services, actor, site, based_on))


@router.get("/sites/{key}/revisions", responses=refusals(404))
def revisions(key: str, _staff: CurrentStaff, store: StoreDep) -> list[RevisionPublic]:
    """Every revision of the site, oldest first, with what changed."""
    return [RevisionPublic.of(revision) for revision in store.revisions(key)]


@router.post("/sites/{key}/restore", response_model=AdminSite, responses=SITE_CHANGE_REFUSALS)
def restore(
    key: str,
    body: RestoreRequest,
    actor: StaffActor,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Make an earlier revision current again (as a new revision)."""
    based_on = revision_from_if_match(if_match)
    return _site_response(editing.restore(services, actor, key, body.revision, based_on))


@router.post("/sites/{key}/archive", response_model=AdminSite, responses=SITE_CHANGE_REFUSALS)
def archive(
    key: str, actor: StaffActor, services: ServicesDep, if_match: IfMatch = None
) -> JSONResponse:
    """Delete a site from the public guide by archiving it; its history stays."""
    based_on = revision_from_if_match(if_match)
    return _site_response(editing.set_archived(services, actor, key, True, based_on))


@router.post("/sites/{key}/unarchive", response_model=AdminSite, responses=SITE_CHANGE_REFUSALS)
def unarchive(
    key: str, actor: StaffActor, services: ServicesDep, if_match: IfMatch = None
) -> JSONResponse:
    """Bring an archived site back to the public guide."""
    based_on = revision_from_if_match(if_match)
    return _site_response(editing.set_archived(services, actor, key, False, based_on))


@router.post("/sites/{key}/reviewed", response_model=AdminSite, responses=SITE_CHANGE_REFUSALS)
def mark_reviewed(
    key: str,
    body: ReviewRequest,
    actor: StaffActor,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Mark a machine translation as checked by a person (origin ``reviewed``)."""
    based_on = revision_from_if_match(if_match)
    saved = editing.mark_reviewed(services, actor, key, body.field, body.lang, based_on)
    return _site_response(saved)


@router.get("/sites/{key}/jobs")
def site_jobs(key: str, _staff: CurrentStaff, services: ServicesDep) -> list[JobPublic]:
    """The site's recent background jobs (narration rebuilds), newest first."""
    return [JobPublic.of(job) for job in services.jobs.for_site(key)]


@router.post(
    "/sites/{key}/recordings/{lang}", status_code=201, responses=refusals(404, 411, 413, 415)
)
def upload_recording(
    key: str,
    lang: str,
    actor: StaffActor,
    services: ServicesDep,
    recording: Annotated[UploadFile, File(description="MP3, M4A, OGG, Opus, FLAC or WAV")],
) -> dict[str, object]:
    """A human recording of the narration in one language; it replaces the synthetic voice
    and is returned with the address visitors hear it at (``url``)."""
    accepted = actions.upload_recording(services, actor, key, lang, recording)
    return {**upload_details(accepted), "url": audio_url(accepted.version)}


@router.get("/staff")
def staff_accounts(_admin: AdminStaff, services: ServicesDep) -> list[StaffAccountPublic]:
    """Every staff account (admins only)."""
    return [StaffAccountPublic.of(account) for account in services.accounts.accounts()]


@router.post("/staff", status_code=201, responses=refusals(409))
def create_staff(body: StaffCreate, actor: AdminActor, services: ServicesDep) -> StaffAccountPublic:
    """Create an editor or admin account (admins only)."""
    account = actions.create_staff(services, actor, body.username, body.password, body.role)
    return StaffAccountPublic.of(account)


@router.patch("/staff/{username}", responses=refusals(404, 409))
def update_staff(
    username: str, body: StaffUpdate, actor: AdminActor, services: ServicesDep
) -> StaffAccountPublic:
    """Change an account's role, or switch it off (its sessions end) or on (admins only)."""
    account = actions.update_staff(services, actor, username, body.role, body.active)
    return StaffAccountPublic.of(account)


@router.get("/audit")
def audit_log(
    _admin: AdminStaff,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=AUDIT_PAGE_MAX, description="How many entries")] = 200,
    actor: str | None = None,
) -> list[AuditEntryPublic]:
    """The newest staff actions first (admins only)."""
    return [AuditEntryPublic(**entry.__dict__) for entry in services.audit.entries(limit, actor)]
