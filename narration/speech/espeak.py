"""espeak-ng: offline, a voice for every language of the guide, but not every script.

espeak-ng reads letters it has no rules for by switching to another language and spelling
them out: Chinese characters come out as pinyin with tone numbers read in English, Japanese
kanji as "Chinese letter". Before speaking, the engine asks espeak-ng for the phonemes of the
text and refuses when too many words would be spoken that way, naming the script.
"""

import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from functools import cached_property
from pathlib import Path

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechFailed, SpeechUnavailable

# Share of words espeak-ng may speak through another language's rules (a foreign name or two
# in a Vietnamese text) before the result counts as noise. Measured: Vietnamese, Korean,
# French, Russian and German texts stay under 3%; Chinese reaches 78%, Japanese 54%.
MAX_FOREIGN_WORD_SHARE = 0.2
WORDS_PER_MINUTE = 150
TIMEOUT_S = 120
_SWITCH = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9-]+)?)\)")


def foreign_word_share(phonemes: str, voice: str) -> float:
    """The share of phoneme words spoken in a language other than the voice's own."""
    own = voice.split("-")[0]
    words = phonemes.split()
    foreign, inside = 0, False
    for word in words:
        switches = _SWITCH.findall(word)
        if switches and switches[0] != own:
            inside = True
        if inside:
            foreign += 1
        if switches and switches[-1] == own:
            inside = False
    return foreign / len(words) if words else 0.0


_SCRIPT_NAMES = {"CJK": "Chinese characters (hanzi, kanji)", "IDEOGRAPHIC": None, "LATIN": None}


def scripts_of(text: str) -> list[str]:
    """The writing systems of the non-Latin letters in ``text``, most used first."""
    counts = Counter(unicodedata.name(char, "OTHER").split()[0] for char in text if char.isalpha())
    names = (_SCRIPT_NAMES.get(script, script.capitalize()) for script, _ in counts.most_common())
    return [name for name in names if name]


class EspeakNg:
    name = "espeak"

    def __init__(self, program: str = "espeak-ng", words_per_minute: int = WORDS_PER_MINUTE):
        self.program = program
        self.words_per_minute = words_per_minute
        self._sample_reasons: dict[str, str | None] = {}

    @classmethod
    def load(cls) -> "EspeakNg":
        return cls()

    @cached_property
    def _installed_voices(self) -> set[str] | None:
        if shutil.which(self.program) is None:
            return None
        listing = subprocess.run(
            [self.program, "--voices"], capture_output=True, text=True, check=False
        ).stdout
        return {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}

    def voice(self, lang: str) -> str:
        return narration_language(lang).espeak

    def settings(self) -> dict[str, object]:
        return {"words_per_minute": self.words_per_minute}

    def unavailable_reason(self, lang: str) -> str | None:
        voices = self._installed_voices
        if voices is None:
            return f"{self.program} is not installed (Debian package espeak-ng; run `make setup`)"
        voice = self.voice(lang)
        if voice not in voices:
            return f"{self.program} has no voice {voice!r} on this machine"
        if lang not in self._sample_reasons:
            self._sample_reasons[lang] = self._unreadable(narration_language(lang).sample, voice)
        return self._sample_reasons[lang]

    def _unreadable(self, text: str, voice: str) -> str | None:
        phonemes = self._run(["-q", "-x", "-v", voice], text).decode("utf-8", "replace")
        share = foreign_word_share(phonemes, voice)
        if share <= MAX_FOREIGN_WORD_SHARE:
            return None
        scripts = scripts_of(text)
        written = f"; the text uses {', '.join(scripts)}" if scripts else ""
        return (
            f"{self.program} cannot read this language's script properly with voice "
            f"{voice!r}: it would spell out {share:.0%} of the words in another "
            f"language{written}"
        )

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang) or self._unreadable(text, self.voice(lang))
        if reason:
            raise SpeechUnavailable(reason)
        # A file, not --stdout: on a pipe espeak-ng cannot fill in the WAV header's sizes.
        with tempfile.TemporaryDirectory() as folder:
            wav = Path(folder) / "speech.wav"
            self._run(
                ["-v", self.voice(lang), "-s", str(self.words_per_minute), "-w", str(wav)], text
            )
            return Audio(data=wav.read_bytes(), format="wav")

    def _run(self, options: list[str], text: str) -> bytes:
        try:
            result = subprocess.run(
                [self.program, *options, "--stdin"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SpeechFailed(f"{self.program} could not run: {error}") from None
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip() or "no output"
            raise SpeechFailed(f"{self.program} failed: {message}")
        return result.stdout
