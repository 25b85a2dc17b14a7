"""Database tables and engine set-up (SQLAlchemy 2; SQLite by default, PostgreSQL in production)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class SiteRow(Base):
    """The current state of a site; its history is in ``site_revisions``."""

    __tablename__ = "sites"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    document: Mapped[dict[str, Any]]
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(120))
    # The fingerprint of the file content last loaded, and the revision that load made:
    # a later load can then tell an unchanged file from a staff edit in the database.
    file_digest: Mapped[str | None] = mapped_column(String(64))
    file_revision: Mapped[int | None] = mapped_column(Integer)


class RevisionRow(Base):
    """One saved version of a site: who, when, what changed, and the whole document."""

    __tablename__ = "site_revisions"
    __table_args__ = (UniqueConstraint("site_key", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_key: Mapped[str] = mapped_column(ForeignKey("sites.key"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changes: Mapped[list[Any]]
    document: Mapped[dict[str, Any]]


class UnansweredQuestionRow(Base):
    """A tourist's question the assistant could not answer, kept for the staff report."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    lang: Mapped[str] = mapped_column(String(8), index=True)
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(20))
    site_key: Mapped[str | None] = mapped_column(String(80))
    sender: Mapped[str] = mapped_column(String(120))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(String(120))


class DailyCountRow(Base):
    """How often something happened on a day: conversations per language, plays per site."""

    __tablename__ = "daily_counts"
    __table_args__ = (UniqueConstraint("day", "kind", "site_key", "lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    site_key: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    # A file: URI (uri=true, e.g. mode=ro to open it read-only) names an existing database.
    if url.database and url.database != ":memory:" and "uri" not in url.query:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


# The transaction open in this context (thread or task), which the stores, logs and queues
# join: one staff action is one transaction, whichever of them it touches.
_open_transaction: ContextVar[tuple["Database", Session] | None] = ContextVar(
    "open_transaction", default=None
)


class Database:
    """One engine and one session factory per process, shared by every store, log and queue.

    ``transaction()`` joins the transaction already open in this context, so that an
    action spanning the site store, the audit log and the job queue commits all of it or
    none of it.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, database_url: str) -> "Database":
        return cls(make_engine(database_url))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits when the outermost transaction ends without error."""
        joined = self._joined()
        if joined is not None:
            yield joined
            return
        with self._sessions.begin() as session:
            token = _open_transaction.set((self, session))
            try:
                yield session
            finally:
                _open_transaction.reset(token)

    @contextmanager
    def separate_transaction(self) -> Iterator[Session]:
        """A transaction of its own, never joined: for an insert that is retried when another
        process inserted the same row first, which a shared transaction would not survive."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading: the open transaction's (so it sees its changes), or a new one."""
        joined = self._joined()
        if joined is not None:
            yield joined
            return
        with self._sessions() as session:
            yield session

    def _joined(self) -> Session | None:
        current = _open_transaction.get()
        return current[1] if current is not None and current[0] is self else None

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe to run again)."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


class DatabaseNotReady(Exception):
    """The database cannot be opened, or has not been set up; the message says what to do."""


def ready_database(database_url: str) -> Database:
    """The database, whose schema must be current, for commands that do not set it up."""
    engine = make_engine(database_url)
    try:
        current = is_current(engine)
    except OperationalError as error:
        raise DatabaseNotReady(
            f"Cannot open the database ({error.orig}); check DATABASE_URL."
        ) from None
    if not current:
        raise DatabaseNotReady(
            "The database is empty or out of date: run `guide sites load` first."
        )
    return Database(engine)
