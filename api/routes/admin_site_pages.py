"""The staff pages of one site: the form per language, preview, revisions, archive, review."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.deps import (
    AudioLibraryDep,
    CurrentStaff,
    PostedForm,
    ServicesDep,
    StaffActor,
    StoreDep,
)
from api.input_checks import StoredId, revision_number
from api.routes.narration import audio_url
from api.routes.pages import render_site_page
from api.services import Services
from api.staff import actions, editing
from api.staff.auth import StaffRefused
from api.staff.draft_summary import draft_failures, failed_translations
from api.staff.rendering import admin_page
from api.staff.revision_view import action_words, change_views
from api.staff.sessions import Staff
from api.staff.site_form import BLANK_ROWS, check_document, form_document
from api.staff.text import AdminText, StaffMessage, admin_language
from sites_data.files import json_document
from sites_data.languages import checked_language
from sites_data.schema import FORMER_PROVINCE_BOUNDS, Category
from sites_data.store import SiteStore, StaleRevision, StoredSite

router = APIRouter()

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_STATUSES = ("regular", "open_access", "reported", "unknown")
TICKET_STATUSES = ("priced", "free", "reported", "unknown")
AUDIENCES = ("adult", "child", "student", "senior", "everyone")


def _based_on(form: FormData) -> int:
    value = form.get("based_on")
    revision = revision_number(value) if isinstance(value, str) else None
    if revision is None:
        raise StaffRefused(400, "refused_no_base_revision")
    return revision


@dataclass(frozen=True)
class FormState:
    """What the form shows besides the stored site: the staff member's unsaved document and
    the revision it was based on, with the problems found, the versions that conflict, or
    what "translate" did."""

    document: dict[str, Any] | None = None
    based_on: int | None = None
    errors: dict[str, list[StaffMessage]] = field(default_factory=dict)
    conflicts: list[editing.FieldVersions] | None = None
    drafts: editing.QueuedDrafts | None = None


def _edit_page(
    request: Request,
    services: Services,
    staff: Staff,
    stored: StoredSite,
    lang: str,
    state: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    state = state or FormState()
    errors = state.errors

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

    key = stored.site.key
    others = [
        (other.site.key, other.site.names["vi"])
        for other in services.store.sites()
        if other.site.key != key
    ]
    based_on, conflicts = state.based_on, state.conflicts
    jobs = services.jobs.for_site(key)
    return admin_page(
        request,
        "site.html",
        staff,
        {
            "key": key,
            "lang": lang,
            "stored": stored,
            "current": json_document(stored.site),
            "doc": state.document or json_document(stored.site),
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
            "jobs": jobs,
            "recording_max_mb": f"{services.settings.recording_max_mb:g}",
            "photos": stored.site.photos,
            "photo_max_mb": f"{services.settings.photo_max_mb:g}",
            "drafts": state.drafts,
            "confirm_archive": request.query_params.get("confirm") == "archive",
            "draft_failures": draft_failures(failed_translations(jobs)),
            "audio_versions": [
                (version, audio_url(version))
                for version in services.narration.versions(key).get(lang, [])
            ],
        },
        status_code,
    )


@router.get("/sites/{key}", response_class=HTMLResponse)
def edit_page(
    key: str, request: Request, staff: CurrentStaff, services: ServicesDep, lang: str = "vi"
) -> HTMLResponse:
    """The form for one site in one language, with the fields all languages share."""
    lang = checked_language(lang)
    return _edit_page(request, services, staff, services.store.get(key), lang)


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
    actor: StaffActor,
    services: ServicesDep,
    lang: str = "vi",
) -> Response:
    """Save the form: a new revision, or the fields to fix, or both versions when stale."""
    lang, stored, based_on = checked_language(lang), services.store.get(key), _based_on(form)
    base = _base_document(services.store, stored, based_on)
    document = form_document(base, form, lang)
    site, errors = check_document(document)
    if site is not None and site.key != key:
        errors = {"key": [StaffMessage("problem_other_key", {"key": key})]}
    if site is None or errors:
        state = FormState(document, based_on, errors)
        return _edit_page(request, services, staff, stored, lang, state, 422)
    try:
        editing.save_site(services, actor, site, based_on)
    except StaleRevision as error:
        rebased, versions = editing.rebase(base, document, json_document(error.current.site))
        state = FormState(rebased, based_on, conflicts=versions)
        return _edit_page(request, services, staff, error.current, lang, state, 409)
    return RedirectResponse(f"/admin/sites/{key}?lang={lang}&saved=1", status_code=303)


@router.post("/sites/{key}/preview", response_class=HTMLResponse)
def preview(
    key: str,
    request: Request,
    form: PostedForm,
    staff: CurrentStaff,
    services: ServicesDep,
    library: AudioLibraryDep,
    lang: str = "vi",
) -> HTMLResponse:
    """The public page as it would look with the form's content, which is not saved."""
    lang, stored, based_on = checked_language(lang), services.store.get(key), _based_on(form)
    document = form_document(_base_document(services.store, stored, based_on), form, lang)
    site, errors = check_document(document)
    if site is None:
        state = FormState(document, based_on, errors)
        return _edit_page(request, services, staff, stored, lang, state, 422)
    notice = AdminText(admin_language(request))("preview_notice")
    audio = library.current(key, lang)
    extra: dict[str, object] = {"preview_notice": notice}
    catalogue = services.store.catalogue()
    return render_site_page(request, catalogue, site, lang, audio, "admin/preview.html", extra)


@router.get("/sites/{key}/revisions", response_class=HTMLResponse)
def revisions(key: str, request: Request, staff: CurrentStaff, store: StoreDep) -> HTMLResponse:
    """Every revision, newest first, with what changed; any of them can be restored."""
    stored = store.get(key)
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


def _back_to_site(key: str, lang: str | None = None) -> RedirectResponse:
    language = f"lang={lang}&" if lang else ""
    return RedirectResponse(f"/admin/sites/{key}?{language}saved=1", status_code=303)


@router.post("/sites/{key}/restore")
def restore(
    key: str,
    actor: StaffActor,
    services: ServicesDep,
    number: Annotated[StoredId, Form()],
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """Make an earlier revision's content current again, as a new revision."""
    editing.restore(services, actor, key, number, based_on)
    return _back_to_site(key)


@router.post("/sites/{key}/archive")
def archive(
    key: str, actor: StaffActor, services: ServicesDep, based_on: Annotated[StoredId, Form()]
) -> Response:
    """Deleting a site archives it: it leaves the public guide, its history stays."""
    editing.set_archived(services, actor, key, True, based_on)
    return _back_to_site(key)


@router.post("/sites/{key}/unarchive")
def unarchive(
    key: str, actor: StaffActor, services: ServicesDep, based_on: Annotated[StoredId, Form()]
) -> Response:
    """Bring an archived site back to the public guide."""
    editing.set_archived(services, actor, key, False, based_on)
    return _back_to_site(key)


@router.post("/sites/{key}/reviewed")
def mark_reviewed(
    key: str,
    actor: StaffActor,
    services: ServicesDep,
    field: Annotated[editing.TranslatedField, Form()],
    lang: Annotated[str, Form()],
    based_on: Annotated[StoredId, Form()],
) -> Response:
    """A person checked a machine translation: its badge becomes "reviewed"."""
    editing.mark_reviewed(services, actor, key, field, lang, based_on)
    return _back_to_site(key, lang)


@router.post("/sites/{key}/translate", response_class=HTMLResponse)
def translate_missing_languages(
    key: str,
    request: Request,
    staff: CurrentStaff,
    actor: StaffActor,
    services: ServicesDep,
    lang: str = "vi",
) -> HTMLResponse:
    """Queue machine translations for the languages the site lacks; the page says which
    were queued and which keep their texts, and its jobs list shows how each went."""
    lang = checked_language(lang)
    state = FormState(drafts=editing.queue_machine_drafts(services, actor, key))
    return _edit_page(request, services, staff, services.store.get(key), lang, state)


@router.post("/sites/{key}/recordings")
def upload_recording(
    key: str,
    actor: StaffActor,
    services: ServicesDep,
    recording: Annotated[UploadFile, File()],
    lang: str = "vi",
) -> Response:
    """A human recording of the narration in one language; it replaces the synthetic voice."""
    actions.upload_recording(services, actor, key, lang, recording)
    return _back_to_site(key, lang)
