"""Staff accounts: creating them, checking passwords (argon2id), roles and deactivation.

There is no default account and no default password: the first admin is made with
``guide staff create``.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from api.staff.tables import StaffRow, StaffSessionRow
from api.staff.text import StaffMessageError
from sites_data.db import Database, utcnow

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
PASSWORD_MIN_LENGTH = 12
# NIST SP 800-63B asks for at least 64; more would make the guessability check slow (it
# takes seconds at 1000 characters). Creating, setting and signing in share this limit.
PASSWORD_MAX_LENGTH = 128
# zxcvbn's scale: 3 is "safely unguessable" (over 10^8 guesses); below it are common and
# leaked passwords, dictionary words with small changes, keyboard rows and repeats.
PASSWORD_MIN_SCORE = 3
# Words an attacker of this guide would try first.
GUIDE_WORDS = ["heritage", "guide", "binhdinh", "ninhthuan", "quynhon", "admin", "staff"]


class Role(StrEnum):
    EDITOR = "editor"  # edits content
    ADMIN = "admin"  # edits content and manages staff


@dataclass(frozen=True)
class StaffAccount:
    username: str
    role: Role
    active: bool
    created_at: datetime
    created_by: str


class AccountError(StaffMessageError, ValueError):
    """A change to an account that cannot be made; the message says why and what to do."""


class RefusedUsername(AccountError):
    """A username that breaks the rules, whatever the other accounts are."""

    location = ("body", "username")


class RefusedPassword(AccountError):
    """A password that is too short, too long or too easy to guess."""

    location = ("body", "password")


class UnknownAccount(LookupError):
    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(f"no staff account is called {username!r}")


def check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise RefusedUsername("account_username_not_allowed", username=username)


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short, too long or easy to guess, saying why."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise RefusedPassword(
            "account_password_short", length=len(password), minimum=PASSWORD_MIN_LENGTH
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise RefusedPassword(
            "account_password_long", length=len(password), maximum=PASSWORD_MAX_LENGTH
        )
    if password != password.strip():
        raise RefusedPassword("account_password_spaces")
    strength = zxcvbn(password, user_inputs=[username, *GUIDE_WORDS], max_length=len(password))
    if strength["score"] < PASSWORD_MIN_SCORE:
        reason = strength["feedback"]["warning"] or "It is made of common words or patterns."
        raise RefusedPassword("account_password_guessable", reason=reason)


def _account(row: StaffRow) -> StaffAccount:
    return StaffAccount(
        username=row.username,
        role=Role(row.role),
        active=row.active,
        created_at=row.created_at,
        created_by=row.created_by,
    )


class StaffAccounts:
    def __init__(self, database: Database) -> None:
        self._database = database
        # argon2id with the library's recommended cost (RFC 9106 low-memory profile).
        self._hasher = PasswordHasher()

    @cached_property
    def _decoy_hash(self) -> str:
        """Checked when the account does not exist, so that a wrong username takes as long
        as a wrong password and does not reveal which accounts exist."""
        return self._hasher.hash("not a password of anyone")

    def create(self, username: str, password: str, role: Role, created_by: str) -> StaffAccount:
        check_username(username)
        check_password(password, username)
        with self._database.transaction() as session:
            if session.scalar(select(StaffRow).where(StaffRow.username == username)):
                raise AccountError("account_exists", username=username)
            row = StaffRow(
                username=username,
                role=role.value,
                password_hash=self._hasher.hash(password),
                active=True,
                created_at=utcnow(),
                created_by=created_by,
            )
            session.add(row)
        return _account(row)

    def accounts(self) -> list[StaffAccount]:
        with self._database.reading() as session:
            rows = session.scalars(select(StaffRow).order_by(StaffRow.username))
            return [_account(row) for row in rows]

    def get(self, username: str) -> StaffAccount:
        with self._database.reading() as session:
            return _account(self._row(session, username))

    def verify(self, username: str, password: str) -> StaffAccount | None:
        """The active account if the password is right, else None (same cost either way)."""
        with self._database.transaction() as session:
            row = session.scalar(select(StaffRow).where(StaffRow.username == username))
            try:
                self._hasher.verify(row.password_hash if row else self._decoy_hash, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or not row.active:
                return None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            return _account(row)

    def update(
        self, username: str, role: Role | None = None, active: bool | None = None
    ) -> StaffAccount:
        """Change an account's role or switch it off (its sessions end); the last active admin
        stays an admin."""
        with self._database.transaction() as session:
            row = self._row(session, username)
            if role is not None:
                row.role = role.value
            if active is not None:
                row.active = active
            if active is False:  # switched off: signed out everywhere, now and if switched on
                session.execute(delete(StaffSessionRow).where(StaffSessionRow.staff_id == row.id))
            session.flush()
            admins = session.scalar(
                select(func.count())
                .select_from(StaffRow)
                .where(StaffRow.role == Role.ADMIN.value, StaffRow.active.is_(True))
            )
            if not admins:
                raise AccountError("account_last_admin")
        return _account(row)

    def set_password(self, username: str, password: str) -> None:
        """A new password; the account's open sessions end, wherever they are."""
        check_password(password, username)
        with self._database.transaction() as session:
            row = self._row(session, username)
            row.password_hash = self._hasher.hash(password)
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.staff_id == row.id))

    @staticmethod
    def _row(session: Session, username: str) -> StaffRow:
        row = session.scalar(select(StaffRow).where(StaffRow.username == username))
        if row is None:
            raise UnknownAccount(username)
        return row
