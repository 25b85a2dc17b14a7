"""Signed-in browsers, kept in the database so that every API process recognises them.

The cookie carries a random token; the table keeps only its SHA-256, so a copy of the
database does not let anyone sign in. Each session has its own CSRF token.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from api.staff.accounts import Role, StaffAccount
from api.staff.tables import StaffRow, StaffSessionRow
from sites_data.db import Database, utcnow


@dataclass(frozen=True)
class Staff:
    """The staff member behind a request, with the CSRF token of their session."""

    username: str
    role: Role
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


@dataclass(frozen=True)
class OpenedSession:
    token: str
    staff: Staff
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StaffSessions:
    def __init__(self, database: Database, lifetime: timedelta) -> None:
        self._database = database
        self._lifetime = lifetime

    def open(self, account: StaffAccount) -> OpenedSession:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utcnow()
        with self._database.transaction() as session:
            staff_id = session.scalar(
                select(StaffRow.id).where(StaffRow.username == account.username)
            )
            if staff_id is None:
                raise LookupError(f"no staff account is called {account.username!r}")
            # Expired sessions are cleared as new ones open, so the table stays small.
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.expires_at < now))
            session.add(
                StaffSessionRow(
                    token_hash=_digest(token),
                    staff_id=staff_id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + self._lifetime,
                )
            )
        return OpenedSession(
            token=token,
            staff=Staff(username=account.username, role=account.role, csrf_token=csrf),
            expires_at=now + self._lifetime,
        )

    def find(self, token: str) -> Staff | None:
        """The staff member of a live session of an active account, else None."""
        query = (
            select(StaffRow.username, StaffRow.role, StaffSessionRow.csrf_token)
            .join(StaffRow, StaffRow.id == StaffSessionRow.staff_id)
            .where(
                StaffSessionRow.token_hash == _digest(token),
                StaffSessionRow.expires_at > utcnow(),
                StaffRow.active.is_(True),
            )
        )
        with self._database.reading() as session:
            found = session.execute(query).one_or_none()
        if found is None:
            return None
        username, role, csrf = found
        return Staff(username=username, role=Role(role), csrf_token=csrf)

    def close(self, token: str) -> None:
        with self._database.transaction() as session:
            session.execute(
                delete(StaffSessionRow).where(StaffSessionRow.token_hash == _digest(token))
            )
