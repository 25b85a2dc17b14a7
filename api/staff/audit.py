"""The audit log: every staff action, who did it, when, to what, with the details."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from api.staff.tables import AuditEntryRow
from sites_data.db import Database, utcnow


class Action(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_BLOCKED = "login_blocked"  # refused by the rate limit without checking the password
    LOGOUT = "logout"
    SAVE = "save"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    RESTORE = "restore"
    MARK_REVIEWED = "mark_reviewed"
    MARK_HANDLED = "mark_handled"
    STAFF_CREATE = "staff_create"
    STAFF_UPDATE = "staff_update"
    UPLOAD = "upload"
    MACHINE_DRAFTS = "machine_drafts"
    PHOTO = "photo"


@dataclass(frozen=True)
class Actor:
    """Who does a staff action, and from which address (none from the command line)."""

    username: str
    address: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: Action
    target: str
    address: str | None
    details: dict[str, Any]


class AuditLog:
    def __init__(self, database: Database) -> None:
        self._database = database

    def record(
        self, actor: Actor, action: Action, target: str, details: dict[str, Any] | None = None
    ) -> None:
        """One entry, in the transaction of the action it records when one is open."""
        with self._database.transaction() as session:
            session.add(
                AuditEntryRow(
                    at=utcnow(),
                    actor=actor.username,
                    action=action.value,
                    target=target,
                    address=actor.address,
                    details=details or {},
                )
            )

    def entries(
        self, limit: int = 200, actor: str | None = None, action: Action | None = None
    ) -> list[AuditEntry]:
        """The newest entries first."""
        query = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
        if actor is not None:
            query = query.where(AuditEntryRow.actor == actor)
        if action is not None:
            query = query.where(AuditEntryRow.action == action.value)
        with self._database.reading() as session:
            return [
                AuditEntry(
                    at=row.at,
                    actor=row.actor,
                    action=Action(row.action),
                    target=row.target,
                    address=row.address,
                    details=row.details,
                )
                for row in session.scalars(query)
            ]
