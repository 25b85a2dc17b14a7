"""The audit log: every staff action, who did it, when, to what, with the details."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from sites_data.db import AuditEntryRow, utcnow


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


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: Action
    target: str
    address: str | None
    details: dict[str, Any]


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def record(
        self,
        actor: str,
        action: Action,
        target: str,
        details: dict[str, Any] | None = None,
        address: str | None = None,
    ) -> None:
        with self._sessions.begin() as session:
            session.add(
                AuditEntryRow(
                    at=utcnow(),
                    actor=actor,
                    action=action.value,
                    target=target,
                    address=address,
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
        with self._sessions() as session:
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
