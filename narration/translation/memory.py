"""The translation memory: what each model translated, kept in the database.

Segments (sentences with their names protected) are reused whenever the same model meets
them again, so a changed text costs only its changed sentences. Whole texts record what each
machine text in the knowledge base was made from, so a later build can tell a current
machine text from one whose source has changed since.
"""

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from narration.tables import TranslationMemoryRow
from narration.translation.base import Translator
from sites_data.db import Database, utcnow

SEGMENT = "segment"
TEXT = "text"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TranslationMemory:
    def __init__(self, database: Database) -> None:
        self._database = database

    def lookup(self, model: str, src: str, tgt: str, segments: list[str]) -> dict[str, str]:
        """The remembered translations of those segments this model made, by segment."""
        by_digest = {digest(segment): segment for segment in segments}
        query = select(TranslationMemoryRow).where(
            TranslationMemoryRow.kind == SEGMENT,
            TranslationMemoryRow.model == model,
            TranslationMemoryRow.src == src,
            TranslationMemoryRow.tgt == tgt,
            TranslationMemoryRow.source_digest.in_(list(by_digest)),
        )
        with self._database.reading() as session:
            return {by_digest[row.source_digest]: row.output_text for row in session.scalars(query)}

    def remember(self, model: str, src: str, tgt: str, translations: dict[str, str]) -> None:
        self._add(SEGMENT, model, src, tgt, translations)

    def remember_text(self, model: str, src: str, tgt: str, source: str, output: str) -> None:
        """Record that ``model`` made ``output`` from ``source`` (a whole text and its names)."""
        self._add(TEXT, model, src, tgt, {source: output})

    def sources_of(self, model: str, tgt: str, output: str) -> set[str]:
        """The digests of the sources ``model`` made this whole text from (none: not made here)."""
        query = select(TranslationMemoryRow.source_digest).where(
            TranslationMemoryRow.kind == TEXT,
            TranslationMemoryRow.model == model,
            TranslationMemoryRow.tgt == tgt,
            TranslationMemoryRow.output_text == output,
        )
        with self._database.reading() as session:
            return set(session.scalars(query))

    def _add(self, kind: str, model: str, src: str, tgt: str, pairs: dict[str, str]) -> None:
        for _attempt in range(2):
            known = self._known(kind, model, src, tgt, [digest(source) for source in pairs])
            rows = [
                TranslationMemoryRow(
                    kind=kind,
                    model=model,
                    src=src,
                    tgt=tgt,
                    source_digest=digest(source),
                    source_text=source,
                    output_text=output,
                    created_at=utcnow(),
                )
                for source, output in pairs.items()
                if digest(source) not in known
            ]
            try:
                with self._database.separate_transaction() as session:
                    session.add_all(rows)
                return
            except IntegrityError:
                continue  # another process remembered some of them first

    def _known(self, kind: str, model: str, src: str, tgt: str, digests: list[str]) -> set[str]:
        query = select(TranslationMemoryRow.source_digest).where(
            TranslationMemoryRow.kind == kind,
            TranslationMemoryRow.model == model,
            TranslationMemoryRow.src == src,
            TranslationMemoryRow.tgt == tgt,
            TranslationMemoryRow.source_digest.in_(digests),
        )
        with self._database.reading() as session:
            return set(session.scalars(query))


class RememberingTranslator:
    """A translator that asks the memory first and the model only for what it lacks."""

    def __init__(self, inner: Translator, memory: TranslationMemory) -> None:
        self.inner = inner
        self.memory = memory

    def model_id(self, src: str, tgt: str) -> str:
        return self.inner.model_id(src, tgt)

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        model = self.model_id(src, tgt)
        known = self.memory.lookup(model, src, tgt, texts)
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            new = dict(zip(missing, self.inner.translate(missing, src, tgt), strict=True))
            self.memory.remember(model, src, tgt, new)
            known |= new
        return [known[text] for text in texts]
