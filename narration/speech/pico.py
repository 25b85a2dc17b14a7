"""SVOX Pico: small offline voices for French, German, English (Debian non-free, Apache-2.0).

Clearer than espeak-ng in French and German. ``pico2wave`` reads the text from stdin.
"""

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechUnavailable
from narration.speech.programs import missing_program, speak_to_wav

INSTALL = "apt-get install libttspico-utils"


class Pico:
    name = "pico"
    non_commercial = False

    def __init__(self, program: str = "pico2wave") -> None:
        self.program = program

    @classmethod
    def load(cls) -> "Pico":
        return cls()

    def voice(self, lang: str) -> str:
        return narration_language(lang).offline_voice(self.name) or "none"

    def settings(self) -> dict[str, object]:
        return {}

    def unavailable_reason(self, lang: str) -> str | None:
        if narration_language(lang).offline_voice(self.name) is None:
            return f"SVOX Pico has no voice for {lang}"
        missing = missing_program(self.program, INSTALL)
        return f"{missing} (Debian non-free)" if missing else None

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang)
        if reason:
            raise SpeechUnavailable(reason)
        voice = self.voice(lang)
        return speak_to_wav(lambda wav: [self.program, "-l", voice, "-w", str(wav)], text)
