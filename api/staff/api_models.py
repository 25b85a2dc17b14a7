"""What the JSON admin API receives and returns."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, Field, StrictBool

from api.input_checks import StoredId, invalid_input
from api.models import UtcDateTime
from api.refusals import Responses, refusals
from api.routes.narration import audio_url
from api.staff.accounts import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    USERNAME_PATTERN,
    Role,
    StaffAccount,
    check_password,
    check_username,
)
from api.staff.editing import QueuedDrafts, TranslatedField
from api.staff.listing import machine_texts
from narration.library import AudioVersion
from sites_data.files import Problem as FileProblem
from sites_data.files import json_document
from sites_data.jobs import Job
from sites_data.store import Revision, StoredSite


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)


class StaffPublic(BaseModel):
    username: str
    role: Role
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every change")


class StaffAccountPublic(BaseModel):
    username: str
    role: Role
    active: bool
    created_at: UtcDateTime
    created_by: str

    @classmethod
    def of(cls, account: StaffAccount) -> "StaffAccountPublic":
        return cls.model_validate(account, from_attributes=True)


def _rule(check: Callable[[str], None]) -> AfterValidator:
    def checked(value: str) -> str:
        check(value)
        return value

    return AfterValidator(checked)


# Python's str.strip() also takes the separators U+001C to U+001F for spaces.
_NO_SPACE_AT_THE_ENDS = r"^[^\s\x1c-\x1f]([\s\S]*[^\s\x1c-\x1f])?$"


class StaffCreate(BaseModel):
    """Checked by the accounts' own rules, which the schema shows as patterns."""

    username: Annotated[
        str,
        _rule(check_username),
        Field(json_schema_extra={"pattern": USERNAME_PATTERN.pattern}),
    ]
    password: Annotated[
        str,
        _rule(check_password),
        Field(
            max_length=1000,
            json_schema_extra={
                "minLength": PASSWORD_MIN_LENGTH,
                "pattern": _NO_SPACE_AT_THE_ENDS,
            },
        ),
    ]
    role: Role


class StaffUpdate(BaseModel):
    role: Role | None = None
    active: StrictBool | None = Field(None, description="true or false; not 0 or 1")


class AdminSiteSummary(BaseModel):
    key: str
    name: str
    category: str
    former_province: str
    revision: int
    archived: bool
    updated_at: UtcDateTime
    updated_by: str
    machine_texts: list[str]


class AdminSite(BaseModel):
    key: str
    revision: int
    archived: bool
    updated_at: UtcDateTime
    updated_by: str
    site: dict[str, Any]


def admin_summary(stored: StoredSite) -> AdminSiteSummary:
    return AdminSiteSummary(
        key=stored.site.key,
        name=stored.site.names["vi"],
        category=stored.site.category,
        former_province=stored.site.province.former,
        revision=stored.revision,
        archived=stored.archived,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        machine_texts=machine_texts(stored.site),
    )


def admin_site(stored: StoredSite) -> AdminSite:
    return AdminSite(
        key=stored.site.key,
        revision=stored.revision,
        archived=stored.archived,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        site=json_document(stored.site),
    )


class RevisionPublic(BaseModel):
    number: int
    action: str
    author: str
    created_at: UtcDateTime
    changes: list[dict[str, Any]]

    @classmethod
    def of(cls, revision: Revision) -> "RevisionPublic":
        return cls.model_validate(revision, from_attributes=True)


class RestoreRequest(BaseModel):
    revision: StoredId


class ReviewRequest(BaseModel):
    field: TranslatedField
    lang: str


class JobPublic(BaseModel):
    id: int
    kind: str
    site_key: str
    lang: str
    status: str
    requested_by: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    error: str | None = Field(
        description="Why the last attempt failed (a queued job with one is waiting for a retry)"
    )
    attempts: int

    @classmethod
    def of(cls, job: Job) -> "JobPublic":
        return cls.model_validate(job, from_attributes=True)


class QuestionPublic(BaseModel):
    id: int
    asked_at: UtcDateTime
    lang: str
    text: str
    reason: str
    site_key: str | None
    handled_at: UtcDateTime | None
    handled_by: str | None


class HandledRequest(BaseModel):
    ids: list[StoredId] = Field(min_length=1, max_length=1000)


class DailyCountPublic(BaseModel):
    day: date
    site_key: str
    lang: str
    count: int


class AuditEntryPublic(BaseModel):
    at: UtcDateTime
    actor: str
    action: str
    target: str
    address: str | None
    details: dict[str, Any]


class StaleReport(BaseModel):
    detail: str
    current: AdminSite


class MachineDraftsPublic(BaseModel):
    """What "translate the missing languages" queued: the worker drafts each language (see
    the site's jobs for how each went)."""

    site_key: str
    queued: list[str] = Field(description="languages whose machine translation is queued")
    kept: list[str] = Field(description="languages whose texts are a person's and stay")

    @classmethod
    def of(cls, queued: QueuedDrafts) -> "MachineDraftsPublic":
        return cls.model_validate(queued, from_attributes=True)


class AudioVersionPublic(BaseModel):
    """One recorded or built narration; ``current`` is the one visitors hear."""

    lang: str
    current: bool
    origin: str = Field(description='"human" (a person\'s recording) or "machine"')
    engine: str = Field(description='"recording", or the speech engine')
    voice: str
    duration_s: float
    loudness_lufs: float
    true_peak_db: float
    created_at: UtcDateTime
    created_by: str
    selected_at: UtcDateTime
    url: str
    opus_url: str

    @classmethod
    def of(cls, version: AudioVersion, current: bool) -> "AudioVersionPublic":
        return cls(
            lang=version.lang,
            current=current,
            origin=version.origin,
            engine=version.engine,
            voice=version.voice,
            duration_s=version.duration_s,
            loudness_lufs=version.loudness_lufs,
            true_peak_db=version.true_peak_db,
            created_at=version.created_at,
            created_by=version.created_by,
            selected_at=version.selected_at,
            url=audio_url(version),
            opus_url=audio_url(version, "opus"),
        )


# The refusals of the routes that change a site, besides signing in (the router's).
SITE_CHANGE_REFUSALS: Responses = {
    **refusals(400, 404, 409, 428),
    412: {"model": StaleReport, "description": "Someone saved the site in between"},
}


def site_problems(problems: list[FileProblem]) -> RequestValidationError:
    """A site document's problems (``names.fr``, ``sources.0.url``) as a 422."""
    return invalid_input(
        *((("body", *_path(problem.field)), problem.message) for problem in problems)
    )


def _path(field: str) -> list[str | int]:
    if field.startswith("("):  # "(file)": a rule about the whole document
        return []
    return [int(part) if part.isdigit() else part for part in field.split(".")]
