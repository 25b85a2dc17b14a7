"""Slowing down password guessing: sign-in attempts counted per account and per address.

The attempts are rows in the database, so the limit holds across every API process. An
attempt is reserved (written and committed) before its password is checked and only then
counted, so requests sent at the same moment cannot all pass a check-then-record gap: of
any number of simultaneous attempts, the one that commits k-th counts at least k rows.
A reservation whose count is over the limit is taken back and refused; one whose password
is wrong stays, as a failure; a right password clears the account's failures.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.staff.tables import LoginFailureRow
from sites_data.db import Database, utcnow


@dataclass(frozen=True)
class LoginLimits:
    window: timedelta = timedelta(minutes=15)
    per_account: int = 5
    # Higher, because several colleagues may share one office address.
    per_address: int = 30


@dataclass(frozen=True)
class Attempt:
    """A reserved sign-in attempt: its rows count as failures unless it succeeds."""

    account_subject: str
    row_ids: tuple[int, ...]


class TooManyAttempts(Exception):
    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many sign-in attempts; try again in {retry_after_s} s")


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the guide stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LoginLimiter:
    def __init__(self, database: Database, limits: LoginLimits) -> None:
        self._database = database
        self._limits = limits

    def _subject_limits(self, username: str, address: str) -> dict[str, int]:
        return {
            f"account:{username.casefold()}": self._limits.per_account,
            f"address:{address}": self._limits.per_address,
        }

    def reserve(self, username: str, address: str) -> Attempt:
        """Reserve one attempt for this account and address, or raise TooManyAttempts."""
        subject_limits = self._subject_limits(username, address)
        now = utcnow()
        # Committed at once, whatever else is open: the count below relies on it.
        with self._database.separate_transaction() as session:
            session.execute(
                delete(LoginFailureRow).where(LoginFailureRow.failed_at < now - self._limits.window)
            )
            rows = [LoginFailureRow(subject=subject, failed_at=now) for subject in subject_limits]
            session.add_all(rows)
        attempt = Attempt(next(iter(subject_limits)), tuple(row.id for row in rows))
        # Counted after the commit, so that each simultaneous attempt sees those before it.
        with self._database.reading() as session:
            over = [
                (subject, limit)
                for subject, limit in subject_limits.items()
                if self._recent_count(session, subject) > limit
            ]
        if not over:
            return attempt
        with self._database.transaction() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.id.in_(attempt.row_ids)))
            wait = max(self._seconds_until_free(session, subject, limit) for subject, limit in over)
        raise TooManyAttempts(wait)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the account starts afresh, and this attempt is no failure
        of its address (the address's other failures stay)."""
        with self._database.transaction() as session:
            session.execute(
                delete(LoginFailureRow).where(
                    (LoginFailureRow.subject == attempt.account_subject)
                    | LoginFailureRow.id.in_(attempt.row_ids)
                )
            )

    def _recent_count(self, session: Session, subject: str) -> int:
        since = utcnow() - self._limits.window
        count = session.scalar(
            select(func.count())
            .select_from(LoginFailureRow)
            .where(LoginFailureRow.subject == subject, LoginFailureRow.failed_at > since)
        )
        return int(count or 0)

    def _seconds_until_free(self, session: Session, subject: str, limit: int) -> int:
        """Free again when the oldest of the last `limit` failures leaves the window; a
        refusal caused only by attempts still being checked may try again in a second."""
        recent = list(
            session.scalars(
                select(LoginFailureRow.failed_at)
                .where(
                    LoginFailureRow.subject == subject,
                    LoginFailureRow.failed_at > utcnow() - self._limits.window,
                )
                .order_by(LoginFailureRow.failed_at.desc())
                .limit(limit)
            )
        )
        if len(recent) < limit:
            return 1
        free_at = _aware(recent[-1]) + self._limits.window
        return max(1, math.ceil((free_at - utcnow()).total_seconds()))
