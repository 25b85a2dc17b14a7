"""Database tables and engine set-up (SQLAlchemy 2; SQLite by default, PostgreSQL in production)."""

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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


# Staff CMS: accounts, their sessions and failed logins, the audit log, background jobs.
# Sessions, login failures and jobs live here rather than in one process's memory so that
# several API processes (and workers) share them.


class StaffRow(Base):
    """A staff account: an editor edits content, an admin also manages staff."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))


class StaffSessionRow(Base):
    """A signed-in browser; the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginFailureRow(Base):
    """A failed sign-in, counted per account and per address to slow down password guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class AuditEntryRow(Base):
    """One staff action: who did what to what, when, and the details that matter."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]]


class JobRow(Base):
    """A background job (e.g. rebuilding a site's narration in one language) and its status."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    site_key: Mapped[str] = mapped_column(String(80), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), index=True)
    requested_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)


class NarrationAudioRow(Base):
    """One built or recorded narration of a site in a language; the files are named by ``digest``.

    The version a visitor hears is the latest selected human recording, else the latest
    selected synthesis: rebuilding with unchanged inputs selects an existing row again.
    """

    __tablename__ = "narration_audio"
    __table_args__ = (UniqueConstraint("site_key", "lang", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_key: Mapped[str] = mapped_column(ForeignKey("sites.key"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    digest: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10))
    engine: Mapped[str] = mapped_column(String(20))
    voice: Mapped[str] = mapped_column(String(300))
    transcript: Mapped[str | None] = mapped_column(Text)
    duration_s: Mapped[float] = mapped_column(Float)
    loudness_lufs: Mapped[float] = mapped_column(Float)
    true_peak_db: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))
    selected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TranslationMemoryRow(Base):
    """What a model translated: a ``segment`` (reused whenever the model meets it again), or
    a whole ``text`` (what a machine text in the knowledge base was made from)."""

    __tablename__ = "translation_memory"
    __table_args__ = (UniqueConstraint("model", "src", "tgt", "kind", "source_digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    model: Mapped[str] = mapped_column(String(300))
    src: Mapped[str] = mapped_column(String(8))
    tgt: Mapped[str] = mapped_column(String(8))
    source_digest: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    output_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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


def ready_engine(database_url: str) -> Engine:
    """An engine on a database whose schema is current, for commands that only read it."""
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
    return engine
