"""RHVoice: offline statistical parametric voices (Debian non-free, LGPL-2.1+ voices).

Its Russian voices (anna, elena) read Russian far better than espeak-ng; its English ones
(slt, alan) are clear. Only voices licensed for any use are named in ``languages.yaml``:
several of the voices Debian ships with it are non-commercial (CC BY-NC-ND).
"""

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechUnavailable
from narration.speech.programs import missing_program, speak_to_wav

VOICES_DIR = Path("/usr/share/RHVoice/voices")
# The Debian package that holds each voice named in languages.yaml.
PACKAGES = {
    "anna": "rhvoice-russian",
    "elena": "rhvoice-russian",
    "aleksandr-hq": "rhvoice-russian",
}
DEFAULT_PACKAGE = "rhvoice-english"


class RhVoice:
    name = "rhvoice"
    non_commercial = False

    def __init__(
        self,
        program: str = "RHVoice-test",
        voices_dir: Path = VOICES_DIR,
        voices: Mapping[str, str] | None = None,
    ) -> None:
        self.program = program
        self.voices_dir = voices_dir
        self._chosen = dict(voices or {})  # language: voice, other than the table's

    @classmethod
    def load(cls) -> "RhVoice":
        return cls()

    @cached_property
    def _installed(self) -> set[str]:
        if not self.voices_dir.is_dir():
            return set()
        return {path.name for path in self.voices_dir.iterdir()}

    def voice(self, lang: str) -> str:
        return self._voice(lang) or "none"

    def _voice(self, lang: str) -> str | None:
        return self._chosen.get(lang) or narration_language(lang).offline_voice(self.name)

    def settings(self) -> dict[str, object]:
        return {}

    def unavailable_reason(self, lang: str) -> str | None:
        voice = self._voice(lang)
        if voice is None:
            return f"RHVoice has no voice for {lang} in narration/languages.yaml"
        package = PACKAGES.get(voice, DEFAULT_PACKAGE)
        install = f"apt-get install rhvoice {package}"
        missing = missing_program(self.program, install)
        if missing:
            return f"{missing} (Debian non-free)"
        if voice not in self._installed:
            return f"RHVoice's voice {voice!r} is not installed: run `{install}` (Debian non-free)"
        return None

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang)
        if reason:
            raise SpeechUnavailable(reason)
        voice = self.voice(lang)
        return speak_to_wav(lambda wav: [self.program, "-p", voice, "-o", str(wav)], text)
