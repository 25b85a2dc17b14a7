"""Which engine speaks which language: the engines available now, best first."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from narration.errors import NarrationError
from narration.speech.base import Synthesizer
from sites_data.languages import LANGUAGES

AUTO = "auto"
OFFLINE_ENGINES = ("mms", "espeak")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineStatus:
    engine: str
    voice: str
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
            EngineStatus(engine.name, engine.voice(lang), engine.unavailable_reason(lang))
            for engine in self.engines
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


@dataclass(frozen=True)
class VoicesReport:
    lines: list[str]
    without_offline_voice: list[str]


def voices_report(voices: Voices) -> VoicesReport:
    """What ``guide narration voices`` prints: per language, each engine and auto's choice."""
    lines: list[str] = []
    without_offline: list[str] = []
    for language in LANGUAGES:
        statuses = voices.status(language.code)
        chosen = next((status.engine for status in statuses if status.available), None)
        lines.append(f"{language.code}  {language.english_name}: auto uses {chosen or 'nothing'}")
        for status in statuses:
            state = (
                f"available, voice {status.voice}"
                if status.available
                else f"unavailable: {status.unavailable_reason}"
            )
            lines.append(f"    {status.engine:<7} {state}")
        offline = [s for s in statuses if s.available and s.engine in OFFLINE_ENGINES]
        if not offline:
            without_offline.append(language.code)
    if without_offline:
        lines.append(f"No acceptable offline voice on this machine: {', '.join(without_offline)}.")
    return VoicesReport(lines, without_offline)
