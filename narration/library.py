"""The audio library: content-addressed files on disk and their versions in the database.

Files live under the audio folder as ``<digest[:2]>/<digest>.mp3`` and ``.opus``; the digest
is a hash of everything that shapes the sound (text, engine, voice, settings) or, for a
human recording, of the recording. A file is encoded in a private work folder next to its
final place and moved there in one step, and its database row is written after both files
are in place, so a reader never meets a half-written file. Two builds of the same item at
once write identical files and one database row; several servers can share the folder.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from narration.audio import FORMATS, EncodedAudio
from narration.tables import NarrationAudioRow
from sites_data.db import Database, utcnow

HUMAN = "human"
MACHINE = "machine"


@dataclass(frozen=True)
class AudioVersion:
    """One narration of a site in a language, as built or recorded."""

    site_key: str
    lang: str
    digest: str
    origin: str  # "human" for a person's recording, "machine" for speech synthesis
    engine: str  # "recording", or the speech engine: "gtts", "mms", "espeak"
    voice: str
    transcript: str | None
    duration_s: float
    loudness_lufs: float
    true_peak_db: float
    created_at: datetime
    created_by: str
    selected_at: datetime

    def file_name(self, fmt: str) -> str:
        return f"{self.digest}.{fmt}"


def _version(row: NarrationAudioRow) -> AudioVersion:
    return AudioVersion(
        site_key=row.site_key,
        lang=row.lang,
        digest=row.digest,
        origin=row.origin,
        engine=row.engine,
        voice=row.voice,
        transcript=row.transcript,
        duration_s=row.duration_s,
        loudness_lufs=row.loudness_lufs,
        true_peak_db=row.true_peak_db,
        created_at=row.created_at,
        created_by=row.created_by,
        selected_at=row.selected_at,
    )


# A person's recording wins over synthesis; within each, the latest selected one.
_PREFERENCE = (
    case((NarrationAudioRow.origin == HUMAN, 1), else_=0).desc(),
    NarrationAudioRow.selected_at.desc(),
    NarrationAudioRow.id.desc(),
)


class AudioLibrary:
    def __init__(self, database: Database, audio_dir: Path) -> None:
        self._database = database
        self.audio_dir = audio_dir

    def file_path(self, digest: str, fmt: str) -> Path:
        return self.audio_dir / digest[:2] / f"{digest}.{fmt}"

    def has_files(self, digest: str) -> bool:
        return all(self.file_path(digest, fmt).is_file() for fmt in FORMATS)

    @contextmanager
    def work_dir(self) -> Iterator[Path]:
        """A private folder on the same file system as the library, removed afterwards."""
        parent = self.audio_dir / ".work"
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=parent) as folder:
            yield Path(folder)

    def publish(
        self,
        encoded: EncodedAudio,
        digest: str,
        *,
        site_key: str,
        lang: str,
        origin: str,
        engine: str,
        voice: str,
        transcript: str | None,
        author: str,
    ) -> AudioVersion:
        """Move the encoded files into place and record them as the newest selected version."""
        for fmt, path in encoded.files.items():
            target = self.file_path(digest, fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        now = utcnow()
        row = NarrationAudioRow(
            site_key=site_key,
            lang=lang,
            digest=digest,
            origin=origin,
            engine=engine,
            voice=voice,
            transcript=transcript,
            duration_s=encoded.duration_s,
            loudness_lufs=encoded.loudness.integrated_lufs,
            true_peak_db=encoded.loudness.true_peak_db,
            created_at=now,
            created_by=author,
            selected_at=now,
        )
        try:
            with self._database.separate_transaction() as session:
                session.add(row)
            return _version(row)
        except IntegrityError:
            # Another build of the same item recorded it first; the files are the same.
            existing = self.find(site_key, lang, digest)
            if existing is None:
                raise
            return self.select(existing)

    def find(self, site_key: str, lang: str, digest: str) -> AudioVersion | None:
        """The version with this digest, if it is recorded and its files are on disk."""
        query = select(NarrationAudioRow).where(
            NarrationAudioRow.site_key == site_key,
            NarrationAudioRow.lang == lang,
            NarrationAudioRow.digest == digest,
        )
        with self._database.reading() as session:
            row = session.scalar(query)
            if row is None or not self.has_files(digest):
                return None
            return _version(row)

    def select(self, version: AudioVersion) -> AudioVersion:
        """Make an existing version the current one again (a rebuild with the same inputs)."""
        now = utcnow()
        with self._database.transaction() as session:
            session.execute(
                update(NarrationAudioRow)
                .where(
                    NarrationAudioRow.site_key == version.site_key,
                    NarrationAudioRow.lang == version.lang,
                    NarrationAudioRow.digest == version.digest,
                )
                .values(selected_at=now)
            )
        return AudioVersion(**{**version.__dict__, "selected_at": now})

    def current(self, site_key: str, lang: str) -> AudioVersion | None:
        """The version visitors hear: the latest recording by a person, else the latest build."""
        query = (
            select(NarrationAudioRow)
            .where(NarrationAudioRow.site_key == site_key, NarrationAudioRow.lang == lang)
            .order_by(*_PREFERENCE)
            .limit(1)
        )
        with self._database.reading() as session:
            row = session.scalar(query)
            return None if row is None else _version(row)

    def current_versions(self) -> dict[tuple[str, str], AudioVersion]:
        """The current version of every site and language, in one query."""
        current: dict[tuple[str, str], AudioVersion] = {}
        with self._database.reading() as session:
            for row in session.scalars(select(NarrationAudioRow).order_by(*_PREFERENCE)):
                current.setdefault((row.site_key, row.lang), _version(row))
        return current

    def versions(self, site_key: str) -> dict[str, list[AudioVersion]]:
        """Every version of a site's narration per language, the current one first."""
        query = (
            select(NarrationAudioRow)
            .where(NarrationAudioRow.site_key == site_key)
            .order_by(NarrationAudioRow.lang, *_PREFERENCE)
        )
        by_language: dict[str, list[AudioVersion]] = {}
        with self._database.reading() as session:
            for row in session.scalars(query):
                by_language.setdefault(row.lang, []).append(_version(row))
        return by_language
