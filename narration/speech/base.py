"""The interface every speech engine offers, and the two ways it can decline."""

from typing import Protocol

from narration.audio import Audio
from narration.errors import NarrationError


class SpeechUnavailable(NarrationError):
    """The engine cannot speak this language or this text well; another engine may."""


class SpeechFailed(NarrationError):
    """The engine tried and failed (a crash, a network error, a refusal by a service)."""


class Synthesizer(Protocol):
    name: str
    # A voice whose licence forbids commercial use: never chosen by ``auto``.
    non_commercial: bool

    def unavailable_reason(self, lang: str) -> str | None:
        """Why the engine cannot speak ``lang`` on this machine now, or None when it can."""

    def voice(self, lang: str) -> str:
        """The voice (or model) the engine uses for ``lang``."""

    def settings(self) -> dict[str, object]:
        """What shapes the sound besides the text and the voice (part of the cache key)."""

    def synthesize(self, text: str, lang: str) -> Audio:
        """Speak ``text``; raises SpeechUnavailable or SpeechFailed."""
