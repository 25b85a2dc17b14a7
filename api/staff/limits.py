"""Slowing down password guessing: failed sign-ins counted per account and per address.

The failures are rows in the database, so the limit holds across every API process.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from api.staff.tables import LoginFailureRow
from sites_data.db import Database, utcnow


@dataclass(frozen=True)
class LoginLimits:
    window: timedelta = timedelta(minutes=15)
    per_account: int = 5
    # Higher, because several colleagues may share one office address.
    per_address: int = 30


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the guide stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _subjects(username: str, address: str) -> dict[str, str]:
    return {"account": f"account:{username.casefold()}", "address": f"address:{address}"}


class LoginLimiter:
    def __init__(self, database: Database, limits: LoginLimits) -> None:
        self._database = database
        self._limits = limits

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until this account and address may try again, or None if they may now."""
        since = utcnow() - self._limits.window
        subjects = _subjects(username, address)
        waits = []
        with self._database.reading() as session:
            for kind, limit in (
                ("account", self._limits.per_account),
                ("address", self._limits.per_address),
            ):
                recent = list(
                    session.scalars(
                        select(LoginFailureRow.failed_at)
                        .where(
                            LoginFailureRow.subject == subjects[kind],
                            LoginFailureRow.failed_at > since,
                        )
                        .order_by(LoginFailureRow.failed_at.desc())
                        .limit(limit)
                    )
                )
                if len(recent) >= limit:
                    # Free again when the oldest of the last `limit` failures leaves the window.
                    free_at = _aware(recent[-1]) + self._limits.window
                    waits.append((free_at - utcnow()).total_seconds())
        return max(1, math.ceil(max(waits))) if waits else None

    def record_failure(self, username: str, address: str) -> None:
        now = utcnow()
        with self._database.transaction() as session:
            session.execute(
                delete(LoginFailureRow).where(LoginFailureRow.failed_at < now - self._limits.window)
            )
            for subject in _subjects(username, address).values():
                session.add(LoginFailureRow(subject=subject, failed_at=now))

    def clear_account(self, username: str) -> None:
        """After a successful sign-in the account starts afresh (the address does not)."""
        with self._database.transaction() as session:
            session.execute(
                delete(LoginFailureRow).where(
                    LoginFailureRow.subject == _subjects(username, "")["account"]
                )
            )
