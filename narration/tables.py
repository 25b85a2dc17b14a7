"""The narration's tables: every built or recorded audio version, and the translation memory."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sites_data.db import Base


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
