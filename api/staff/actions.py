"""The staff actions beyond editing a site: accounts, recordings, handled questions.

The JSON API, the pages and the command line all go through these functions, so an action
is checked, done and written to the audit log the same way wherever it comes from, in one
transaction. Refusals are exceptions that ``api.errors`` answers with a status and a message.
"""

from fastapi import UploadFile

from api.services import Services
from api.staff.accounts import Role, StaffAccount
from api.staff.audit import Action, Actor
from api.staff.recordings import AcceptedRecording, accept_recording, upload_details

# The audit log's target for actions on tourists' questions.
QUESTIONS = "questions"


def create_staff(
    services: Services, actor: Actor, username: str, password: str, role: Role
) -> StaffAccount:
    """A new editor or admin account; the username is taken without surrounding spaces."""
    with services.database.transaction():
        account = services.accounts.create(username.strip(), password, role, actor.username)
        services.audit.record(actor, Action.STAFF_CREATE, account.username, {"role": account.role})
    return account


def update_staff(
    services: Services,
    actor: Actor,
    username: str,
    role: Role | None = None,
    active: bool | None = None,
) -> StaffAccount:
    """Change an account's role, or switch it off (its sessions end) or on."""
    with services.database.transaction():
        account = services.accounts.update(username, role, active)
        details: dict[str, object] = {}
        if role is not None:
            details["role"] = role.value
        if active is not None:
            details["active"] = active
        services.audit.record(actor, Action.STAFF_UPDATE, username, details)
    return account


def set_password(services: Services, actor: Actor, username: str, password: str) -> None:
    """A new password for an account; its open sessions end, wherever they are."""
    with services.database.transaction():
        services.accounts.set_password(username, password)
        services.audit.record(actor, Action.STAFF_UPDATE, username, {"password": "changed"})


def mark_handled(services: Services, actor: Actor, ids: list[int]) -> int:
    """Mark tourists' unanswered questions handled; how many changed."""
    with services.database.transaction():
        changed = services.activity.mark_handled(ids, actor.username)
        services.audit.record(
            actor, Action.MARK_HANDLED, QUESTIONS, {"ids": ids, "changed": changed}
        )
    return changed


def upload_recording(
    services: Services, actor: Actor, key: str, lang: str, upload: UploadFile
) -> AcceptedRecording:
    """A person's recording of a site's narration in one language, checked and made the
    version visitors hear; refused with the reason (``RecordingRefused``) otherwise."""
    services.store.get(key)
    accepted = accept_recording(
        services.narration, upload, services.settings, key, lang, actor.username
    )
    services.audit.record(actor, Action.UPLOAD, f"{key}/{lang}", upload_details(accepted))
    return accepted
