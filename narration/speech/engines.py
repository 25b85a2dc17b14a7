"""Which engine speaks which language: the engines available now, best first.

``auto`` tries, for each language, the engines the languages table does not rank (the online
gTTS) first, then the offline voices in the order ``narration/languages.yaml`` lists them for
that language (the order ``bench/voices.py`` measured). A non-commercial engine (MMS) is
never tried by ``auto``: only when asked for by name.
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from narration.errors import NarrationError
from narration.languages import NARRATION_LANGUAGES, narration_language
from narration.speech.base import Synthesizer
from sites_data.languages import LANGUAGES

AUTO = "auto"
log = logging.getLogger(__name__)
_INSTALL = re.compile(r"run `([^`]+)`")


@dataclass(frozen=True)
class EngineStatus:
    engine: str
    voice: str
    unavailable_reason: str | None
    offline: bool
    non_commercial: bool

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None

    @property
    def in_auto(self) -> bool:
        return not self.non_commercial


class Voices:
    """The speech engines of this machine; ``auto`` orders them per language."""

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

    def ordered(self, lang: str) -> list[Synthesizer]:
        """The engines that may speak ``lang``, in the order ``auto`` tries them, the
        non-commercial ones last; an offline engine the table gives other languages only
        is left out."""
        ranked = list(narration_language(lang).voices)
        elsewhere = {name for language in NARRATION_LANGUAGES.values() for name in language.voices}
        unranked = [
            engine
            for engine in self.engines
            if engine.name not in ranked and engine.name not in elsewhere
        ]
        listed = sorted(
            (engine for engine in self.engines if engine.name in ranked),
            key=lambda engine: ranked.index(engine.name),
        )
        return sorted(unranked + listed, key=lambda engine: engine.non_commercial)

    def status(self, lang: str) -> list[EngineStatus]:
        ranked = narration_language(lang).voices
        return [
            EngineStatus(
                engine.name,
                engine.voice(lang),
                engine.unavailable_reason(lang),
                offline=engine.name in ranked,
                non_commercial=engine.non_commercial,
            )
            for engine in self.ordered(lang)
        ]

    def candidates(self, lang: str, choice: str) -> list[Synthesizer]:
        """The engines to try for ``lang``, in order; raises when none can speak it."""
        if choice != AUTO:
            engine = self.engine(choice)
            reason = engine.unavailable_reason(lang)
            if reason:
                raise NarrationError(f"{engine.name} cannot speak {lang}: {reason}")
            return [engine]
        tried = [(engine, status) for engine, status in self._auto(lang)]
        usable = [engine for engine, status in tried if status.available]
        if not usable:
            reasons = "; ".join(
                f"{status.engine}: {status.unavailable_reason}" for _, status in tried
            )
            raise NarrationError(f"no speech engine can speak {lang} on this machine ({reasons})")
        return usable

    def _auto(self, lang: str) -> list[tuple[Synthesizer, EngineStatus]]:
        pairs = zip(self.ordered(lang), self.status(lang), strict=True)
        return [(engine, status) for engine, status in pairs if status.in_auto]

    def chosen(self, lang: str) -> str | None:
        """The engine ``auto`` would use for ``lang`` now, if any."""
        return next((s.engine for _, s in self._auto(lang) if s.available), None)


@dataclass(frozen=True)
class VoicesReport:
    lines: list[str]
    without_offline_voice: list[str]


def install_commands(statuses: Sequence[EngineStatus]) -> list[str]:
    """The commands the unavailable offline voices name, best voice first, without repeats."""
    commands = (
        _INSTALL.findall(status.unavailable_reason or "")
        for status in statuses
        if status.offline and status.in_auto and not status.available
    )
    return list(dict.fromkeys(command for found in commands for command in found))


def voices_report(voices: Voices) -> VoicesReport:
    """What ``guide narration voices`` prints: per language, auto's choice, its offline voice
    (or what to install for one), then every engine."""
    lines: list[str] = []
    without_offline: list[str] = []
    for language in LANGUAGES:
        statuses = voices.status(language.code)
        usable = [status for status in statuses if status.available and status.in_auto]
        chosen = usable[0] if usable else None
        offline = next((status for status in usable if status.offline), None)
        head = f"{language.code}  {language.english_name}: auto uses "
        head += f"{chosen.engine} ({chosen.voice})" if chosen else "nothing"
        if offline is None:
            without_offline.append(language.code)
            commands = install_commands(statuses)
            advice = f"install one: {' or '.join(commands)}" if commands else "none is known"
            head += f"; no offline voice on this machine, {advice}"
        elif offline is not chosen:
            head += f"; offline {offline.engine} ({offline.voice})"
        lines.append(head)
        for status in statuses:
            if status.available:
                state = f"available, voice {status.voice}"
            else:
                state = f"unavailable: {status.unavailable_reason}"
            if status.non_commercial:
                state += f" (non-commercial: only with --engine {status.engine}, never auto)"
            lines.append(f"    {status.engine:<9} {state}")
    if without_offline:
        lines.append(f"No offline voice on this machine for: {', '.join(without_offline)}.")
    return VoicesReport(lines, without_offline)
