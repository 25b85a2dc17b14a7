"""What tourists did, for the staff reports: unanswered questions and daily counts.

Several processes write here at once (API workers, the action server), so counting
is an UPDATE that adds one, falling back to an INSERT for the first event of the day,
and retrying once when another process inserted the same row in between.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from sites_data.db import DailyCountRow, Database, UnansweredQuestionRow, utcnow

ANY_SITE = ""


class Unanswered(StrEnum):
    """Why the assistant could not answer."""

    FALLBACK = "fallback"  # it did not understand
    OUT_OF_SCOPE = "out_of_scope"  # weather, visas, hotel booking…
    HANDOFF = "handoff"  # the tourist asked for a person
    NOT_IN_TEXTS = "not_in_texts"  # about a site, but the site's texts do not say


class Counted(StrEnum):
    CONVERSATION = "conversation"  # a chat session started (per language)
    PLAY = "play"  # a narration was played (per site and language)


@dataclass(frozen=True)
class Question:
    id: int
    asked_at: datetime
    lang: str
    text: str
    reason: Unanswered
    site_key: str | None
    handled_at: datetime | None
    handled_by: str | None


@dataclass(frozen=True)
class QuestionGroup:
    """The same question asked one or more times, in one language."""

    text: str
    lang: str
    count: int
    last_asked: datetime
    open_ids: list[int]  # the askings no staff member has handled yet
    reasons: list[Unanswered]
    site_keys: list[str]


@dataclass(frozen=True)
class QuestionGroups:
    groups: list[QuestionGroup]
    total: int  # groups on every page


@dataclass(frozen=True)
class DailyCount:
    day: date
    site_key: str
    lang: str
    count: int


class ActivityLog:
    def __init__(self, database: Database) -> None:
        self._database = database

    def record_unanswered(
        self, text: str, lang: str, reason: Unanswered, sender: str, site_key: str | None = None
    ) -> None:
        with self._database.transaction() as session:
            session.add(
                UnansweredQuestionRow(
                    asked_at=utcnow(),
                    lang=lang,
                    text=text,
                    reason=reason.value,
                    site_key=site_key,
                    sender=sender,
                )
            )

    def count(
        self, kind: Counted, lang: str, site_key: str = ANY_SITE, day: date | None = None
    ) -> None:
        """Add one to today's (or ``day``'s) count of ``kind`` for this site and language."""
        day = day or utcnow().date()
        for _attempt in range(2):
            try:
                with self._database.separate_transaction() as session:
                    if self._increment(session, kind, day, site_key, lang):
                        return
                    session.add(
                        DailyCountRow(
                            day=day, kind=kind.value, site_key=site_key, lang=lang, count=1
                        )
                    )
                return
            except IntegrityError:
                continue  # another process created the row first; add to it
        raise RuntimeError(f"could not count {kind} for {site_key!r} in {lang!r}")

    @staticmethod
    def _increment(session: Session, kind: Counted, day: date, site_key: str, lang: str) -> bool:
        result = session.execute(
            update(DailyCountRow)
            .where(
                DailyCountRow.day == day,
                DailyCountRow.kind == kind.value,
                DailyCountRow.site_key == site_key,
                DailyCountRow.lang == lang,
            )
            .values(count=DailyCountRow.count + 1)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def daily_counts(self, kind: Counted, since: date | None = None) -> list[DailyCount]:
        """Counts of ``kind`` per day, site and language, newest day first."""
        query = select(DailyCountRow).where(DailyCountRow.kind == kind.value)
        if since is not None:
            query = query.where(DailyCountRow.day >= since)
        query = query.order_by(DailyCountRow.day.desc(), DailyCountRow.site_key, DailyCountRow.lang)
        with self._database.reading() as session:
            return [
                DailyCount(day=row.day, site_key=row.site_key, lang=row.lang, count=row.count)
                for row in session.scalars(query)
            ]

    def questions(self, include_handled: bool = False, lang: str | None = None) -> list[Question]:
        """Unanswered questions, newest first."""
        query = select(UnansweredQuestionRow).order_by(UnansweredQuestionRow.asked_at.desc())
        if not include_handled:
            query = query.where(UnansweredQuestionRow.handled_at.is_(None))
        if lang is not None:
            query = query.where(UnansweredQuestionRow.lang == lang)
        with self._database.reading() as session:
            return [_question(row) for row in session.scalars(query)]

    def grouped_questions(
        self,
        include_handled: bool = False,
        lang: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> QuestionGroups:
        """Unanswered questions grouped by their text and language, the most asked first."""
        row = UnansweredQuestionRow
        wanted: list[ColumnElement[bool]] = []
        if not include_handled:
            wanted.append(row.handled_at.is_(None))
        if lang is not None:
            wanted.append(row.lang == lang)
        asked, last = func.count().label("asked"), func.max(row.asked_at).label("last")
        grouped = (
            select(row.text, row.lang, asked, last).where(*wanted).group_by(row.text, row.lang)
        )
        page = grouped.order_by(asked.desc(), last.desc(), row.text).offset(offset).limit(limit)
        with self._database.reading() as session:
            total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
            heads = session.execute(page).tuples().all()
            askings = (
                session.scalars(
                    select(row)
                    .where(
                        *wanted,
                        tuple_(row.text, row.lang).in_(
                            [(text, code) for text, code, _, _ in heads]
                        ),
                    )
                    .order_by(row.asked_at)
                ).all()
                if heads
                else []
            )
        by_group: dict[tuple[str, str], list[UnansweredQuestionRow]] = {}
        for asking in askings:
            by_group.setdefault((asking.text, asking.lang), []).append(asking)
        groups = []
        for text, code, count, last_asked in heads:
            rows = by_group.get((text, code), [])
            groups.append(
                QuestionGroup(
                    text=text,
                    lang=code,
                    count=count,
                    last_asked=last_asked,
                    open_ids=[asking.id for asking in rows if asking.handled_at is None],
                    reasons=list(dict.fromkeys(Unanswered(asking.reason) for asking in rows)),
                    site_keys=list(dict.fromkeys(a.site_key for a in rows if a.site_key)),
                )
            )
        return QuestionGroups(groups, total)

    def open_questions_by_language(self) -> dict[str, int]:
        """How many questions wait for staff in each language, most first."""
        query = (
            select(UnansweredQuestionRow.lang, func.count())
            .where(UnansweredQuestionRow.handled_at.is_(None))
            .group_by(UnansweredQuestionRow.lang)
            .order_by(func.count().desc(), UnansweredQuestionRow.lang)
        )
        with self._database.reading() as session:
            return {lang: count for lang, count in session.execute(query).tuples()}

    def mark_handled(self, ids: Iterable[int], by: str) -> int:
        """Mark questions as handled by a staff member; returns how many changed."""
        with self._database.transaction() as session:
            result = session.execute(
                update(UnansweredQuestionRow)
                .where(
                    UnansweredQuestionRow.id.in_(list(ids)),
                    UnansweredQuestionRow.handled_at.is_(None),
                )
                .values(handled_at=utcnow(), handled_by=by)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]


def _question(row: UnansweredQuestionRow) -> Question:
    return Question(
        id=row.id,
        asked_at=row.asked_at,
        lang=row.lang,
        text=row.text,
        reason=Unanswered(row.reason),
        site_key=row.site_key,
        handled_at=row.handled_at,
        handled_by=row.handled_by,
    )
