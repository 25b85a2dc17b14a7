"""The interface every translator offers, and its errors."""

from typing import Protocol

from narration.errors import NarrationError


class TranslationUnavailable(NarrationError):
    """No model can translate this pair here (absent, unsupported, misconfigured)."""


class Translator(Protocol):
    def model_id(self, src: str, tgt: str) -> str:
        """The model that translates ``src`` to ``tgt`` (stored with every machine text)."""

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """One translation per text, in order."""


class IdentityTranslator:
    """Returns the text unchanged: for wiring and tests of everything around translation."""

    def model_id(self, src: str, tgt: str) -> str:
        return "identity"

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        return list(texts)
