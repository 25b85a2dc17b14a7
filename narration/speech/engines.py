"""Which engine speaks which language: the engines available now, best first."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from narration.errors import NarrationError
from narration.speech.base import Synthesizer

AUTO = "auto"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineStatus:
    engine: str
    unavailable_reason: str | None

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None


class Voices:
    """The speech engines of this machine, best first (the order ``auto`` tries them in)."""

    def __init__(self, engines: Sequence[Synthesizer]) -> None:
        self.engines = list(engines)

    @property
    def names(self) -> list[str]:
        return [engine.name for engine in self.engines]

    def engine(self, name: str) -> Synthesizer:
        for engine in self.engines:
            if engine.name == name:
                return engine
        raise NarrationError(
            f"unknown speech engine {name!r}; choose one of auto, {', '.join(self.names)}"
        )

    def status(self, lang: str) -> list[EngineStatus]:
        return [
            EngineStatus(engine.name, engine.unavailable_reason(lang)) for engine in self.engines
        ]

    def candidates(self, lang: str, choice: str) -> list[Synthesizer]:
        """The engines to try for ``lang``, in order; raises when none can speak it."""
        if choice != AUTO:
            engine = self.engine(choice)
            reason = engine.unavailable_reason(lang)
            if reason:
                raise NarrationError(f"{engine.name} cannot speak {lang}: {reason}")
            return [engine]
        statuses = self.status(lang)
        usable = [
            engine
            for engine, status in zip(self.engines, statuses, strict=True)
            if status.available
        ]
        if not usable:
            reasons = "; ".join(
                f"{status.engine}: {status.unavailable_reason}" for status in statuses
            )
            raise NarrationError(f"no speech engine can speak {lang} on this machine ({reasons})")
        return usable

    def chosen(self, lang: str) -> str | None:
        """The engine ``auto`` would use for ``lang`` now, if any."""
        return next((status.engine for status in self.status(lang) if status.available), None)
