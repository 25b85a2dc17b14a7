"""The staff pages of one site: the form per language, preview, revisions, archive, review."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.deps import SettingsDep, StoreDep
from api.input_checks import StoredId, revision_number
from api.routes.narration import AudioLibraryDep, audio_url
from api.routes.pages import render_site_page
from api.staff import editing
from api.staff.audit import Action
from api.staff.auth import CurrentStaff, ServicesDep, StaffRefused, client_address
from api.staff.draft_summary import draft_failures
from api.staff.narration import NarrationDep, draft_missing_languages, get_narration
from api.staff.recordings import (
    RecordingRefused,
    RecordingsDep,
    accept_recording,
    upload_details,
)
from api.staff.rendering import admin_page
from api.staff.revision_view import action_words, change_views
from api.staff.site_form import BLANK_ROWS, check_document, form_document
from api.staff.text import AdminText, StaffMessage, admin_language
from narration.errors import NarrationError
from narration.translation.drafts import DraftReport
from sites_data.files import json_document
from sites_data.languages import LANGUAGE_CODES, supported_list
from sites_data.schema import FORMER_PROVINCE_BOUNDS, Category
from sites_data.store import SiteStore, StaleRevision, StoredSite, UnknownSite

router = APIRouter()

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_STATUSES = ("regular", "open_access", "reported", "unknown")
TICKET_STATUSES = ("priced", "free", "reported", "unknown")
AUDIENCES = ("adult", "child", "student", "senior", "everyone")


async def posted_form(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def _stored(store: SiteStore, key: str) -> StoredSite:
    try:
        return store.get(key)
    except UnknownSite:
        raise StaffRefused(404, "unknown_site", key=key) from None


def _language(lang: str) -> str:
    if lang not in LANGUAGE_CODES:
        raise StaffRefused(404, "unknown_language", lang=lang, languages=supported_list())
    return lang


def _based_on(form: FormData) -> int:
    value = form.get("based_on")
    revision = revision_number(value) if isinstance(value, str) else None
    if revision is None:
        raise StaffRefused(400, "refused_no_base_revision")
    return revision


def _edit_page(
    request: Request,
    staff: CurrentStaff,
    store: SiteStore,
    services: ServicesDep,
    settings: SettingsDep,
    stored: StoredSite,
    lang: str,
    document: dict[str, Any] | None = None,
    based_on: int | None = None,
    errors: dict[str, list[StaffMessage]] | None = None,
    conflicts: list[editing.FieldVersions] | None = None,
    status_code: int = 200,
    drafts: DraftReport | None = None,
) -> HTMLResponse:
    errors = errors or {}

    def errors_at(*names: str) -> list[tuple[str, StaffMessage]]:
        """The problems of these fields and anything inside them, each with its field."""
        return [
            (field, message)
            for field, messages in errors.items()
            if any(field == name or field.startswith(f"{name}.") for name in names)
            for message in messages
        ]

    def own_errors(name: str) -> list[tuple[str, StaffMessage]]:
        return [(name, message) for message in errors.get(name, [])]

    others = [
        (other.site.key, other.site.names["vi"])
        for other in store.sites()
        if other.site.key != stored.site.key
    ]
    return admin_page(
        request,
        "site.html",
        staff,
        {
            "key": stored.site.key,
            "lang": lang,
            "stored": stored,
            "current": json_document(stored.site),
            "doc": document or json_document(stored.site),
            "based_on": based_on,
            "based_on_next": stored.revision if based_on is None or conflicts else based_on,
            "errors": errors,
            "errors_at": errors_at,
            "own_errors": own_errors,
            "conflicts": conflicts,
            "saved": request.query_params.get("saved") == "1",
            "categories": [category.value for category in Category],
            "provinces": list(FORMER_PROVINCE_BOUNDS),
            "weekdays": WEEKDAYS,
            "hours_statuses": HOURS_STATUSES,
            "ticket_statuses": TICKET_STATUSES,
            "audiences": AUDIENCES,
            "blank_rows": BLANK_ROWS,
            "other_sites": others,
            "jobs": services.jobs.for_site(stored.site.key),
            "recording_max_mb": f"{settings.recording_max_mb:g}",
            "drafts": drafts,
            "confirm_archive": request.query_params.get("confirm") == "archive",
            "draft_failures": draft_failures(drafts),
            "audio_versions": [
                (version, audio_url(version))
                for version in get_narration(request).versions(stored.site.key).get(lang, [])
            ],
        },
        status_code,
    )


@router.get("/sites/{key}", response_class=HTMLResponse)
def edit_page(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    settings: SettingsDep,
    lang: str = "vi",
) -> HTMLResponse:
    """The form for one site in one language, with the fields all languages share."""
    stored = _stored(store, key)
    return _edit_page(request, staff, store, services, settings, stored, _language(lang))


def _base_document(store: SiteStore, stored: StoredSite, based_on: int) -> dict[str, Any]:
    """The version the staff member was editing: what their form's other fields came from."""
    if stored.revision == based_on:
        return json_document(stored.site)
    for revision in store.revisions(stored.site.key):
        if revision.number == based_on:
            return json_document(revision.site)
    raise StaffRefused(400, "refused_unknown_revision", revision=based_on)


@router.post("/sites/{key}/save", response_class=HTMLResponse)
def save(
    key: str,
    request: Request,
    form: PostedForm,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    settings: SettingsDep,
    lang: str = "vi",
) -> Response:
    """Save the form: a new revision, or the fields to fix, or both versions when stale."""
    lang, stored, based_on = _language(lang), _stored(store, key), _based_on(form)
    base = _base_document(store, stored, based_on)
    document = form_document(base, form, lang)
    page = (request, staff, store, services, settings)
    site, errors = check_document(document)
    if site is None:
        return _edit_page(*page, stored, lang, document, based_on, errors, status_code=422)
    if site.key != key:
        errors = {"key": [StaffMessage("problem_other_key", {"key": key})]}
        return _edit_page(*page, stored, lang, document, based_on, errors, status_code=422)
    try:
        editing.save_site(services, store, staff, site, based_on, client_address(request))
    except StaleRevision as error:
        rebased, versions = editing.rebase(base, document, json_document(error.current.site))
        return _edit_page(
            *page, error.current, lang, rebased, based_on, conflicts=versions, status_code=409
        )
    return RedirectResponse(f"/admin/sites/{key}?lang={lang}&saved=1", status_code=303)


@router.post("/sites/{key}/preview", response_class=HTMLResponse)
def preview(
    key: str,
    request: Request,
    form: PostedForm,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    settings: SettingsDep,
    library: AudioLibraryDep,
    lang: str = "vi",
) -> HTMLResponse:
    """The public page as it would look with the form's content, which is not saved."""
    lang, stored, based_on = _language(lang), _stored(store, key), _based_on(form)
    document = form_document(_base_document(store, stored, based_on), form, lang)
    site, errors = check_document(document)
    if site is None:
        page = (request, staff, store, services, settings)
        return _edit_page(*page, stored, lang, document, based_on, errors, status_code=422)
    notice = AdminText(admin_language(request))("preview_notice")
    audio = library.current(key, lang)
    extra: dict[str, object] = {"preview_notice": notice}
    return render_site_page(
        request, store.catalogue(), site, lang, audio, "admin/preview.html", extra
    )


@router.get("/sites/{key}/revisions", response_class=HTMLResponse)
def revisions(key: str, request: Request, staff: CurrentStaff, store: StoreDep) -> HTMLResponse:
    """Every revision, newest first, with what changed; any of them can be restored."""
    stored = _stored(store, key)
    t = AdminText(admin_language(request))
    return admin_page(
        request,
        "revisions.html",
        staff,
        {
            "key": key,
            "name": stored.site.names["vi"],
            "current_revision": stored.revision,
            "revisions": [
                (revision, action_words(revision.action, t), change_views(revision.changes, t))
                for revision in reversed(store.revisions(key))
            ],
        },
    )


def _stale_refusal(error: StaleRevision) -> StaffRefused:
    return StaffRefused(
        409, "refused_stale", author=error.current.updated_by, revision=error.current.revision
    )


def _back_to_site(key: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/sites/{key}?saved=1", status_code=303)


@router.post("/sites/{key}/restore")
def restore(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    number: Annotated[StoredId, Form()],
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """Make an earlier revision's content current again, as a new revision."""
    address = client_address(request)
    return _edit_then(
        key,
        lambda: editing.restore(services, store, staff, key, number, based_on, address),
        _back_to_site(key),
    )


def _edit_then(key: str, edit: Callable[[], object], then: Response) -> Response:
    """Run one change to a site, then ``then``; or a page saying why it was refused."""
    try:
        edit()
    except UnknownSite:
        raise StaffRefused(404, "unknown_site", key=key) from None
    except StaleRevision as error:
        raise _stale_refusal(error) from None
    except editing.EditRefused as error:
        raise StaffRefused(409, error.said.key, **error.said.values) from None
    except LookupError:  # an unknown revision
        raise StaffRefused(404, "refused_unknown_revision_to_restore") from None
    return then


def _set_archived(
    key: str,
    archived: bool,
    request: Request,
    based_on: int,
    staff: CurrentStaff,
    store: SiteStore,
    services: ServicesDep,
) -> Response:
    address = client_address(request)
    return _edit_then(
        key,
        lambda: editing.set_archived(services, store, staff, key, archived, based_on, address),
        _back_to_site(key),
    )


@router.post("/sites/{key}/archive")
def archive(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """Deleting a site archives it: it leaves the public guide, its history stays."""
    return _set_archived(key, True, request, based_on, staff, store, services)


@router.post("/sites/{key}/unarchive")
def unarchive(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """Bring an archived site back to the public guide."""
    return _set_archived(key, False, request, based_on, staff, store, services)


@router.post("/sites/{key}/reviewed")
def mark_reviewed(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    field: Annotated[editing.TranslatedField, Form()],
    lang: Annotated[str, Form()],
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """A person checked a machine translation: its badge becomes "reviewed"."""
    address = client_address(request)
    return _edit_then(
        key,
        lambda: editing.mark_reviewed(services, store, staff, key, field, lang, based_on, address),
        RedirectResponse(f"/admin/sites/{key}?lang={lang}&saved=1", status_code=303),
    )


@router.post("/sites/{key}/translate", response_class=HTMLResponse)
def translate_missing_languages(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    settings: SettingsDep,
    narration: NarrationDep,
    lang: str = "vi",
) -> HTMLResponse:
    """Machine translations for the languages the site lacks; the page says what was drafted,
    kept and why any language failed."""
    lang = _language(lang)
    _stored(store, key)
    try:
        report = draft_missing_languages(services, narration, staff, key, client_address(request))
    except NarrationError as error:
        raise StaffRefused(409, "translation_refused", reason=str(error)) from None
    page = (request, staff, store, services, settings)
    return _edit_page(*page, _stored(store, key), lang, drafts=report)


@router.post("/sites/{key}/recordings")
def upload_recording(
    key: str,
    request: Request,
    staff: CurrentStaff,
    store: StoreDep,
    services: ServicesDep,
    settings: SettingsDep,
    library: RecordingsDep,
    recording: Annotated[UploadFile, File()],
    lang: str = "vi",
) -> Response:
    """A human recording of the narration in one language; it replaces the synthetic voice."""
    _stored(store, key)
    try:
        accepted = accept_recording(library, recording, settings, key, lang, staff)
    except RecordingRefused as error:
        raise StaffRefused(error.status_code, error.said.key, **error.said.values) from None
    services.audit.record(
        staff.username,
        Action.UPLOAD,
        f"{key}/{lang}",
        upload_details(accepted),
        client_address(request),
    )
    return RedirectResponse(f"/admin/sites/{key}?lang={lang}&saved=1", status_code=303)
