"""espeak-ng: offline, a voice for every language of the guide, but not every script.

espeak-ng reads letters it has no rules for by switching to another language and spelling
them out: Japanese kanji come out as "Chinese letter", and with the data Debian ships (1.51)
Chinese characters as pinyin letters and tone numbers read in English. Before speaking, the
engine asks espeak-ng for the phonemes of the text and refuses when too many words would be
spoken that way, naming the script.

The Python package ``espeakng-loader`` carries libespeak-ng 1.52 with data built with the full
Mandarin dictionary, which reads Chinese characters as Mandarin syllables with their tones.
When it is installed, Debian's ``espeak-ng`` program runs on that library and data (the
library's interface is the same); otherwise on Debian's own.
"""

import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechUnavailable
from narration.speech.programs import run, speak_to_wav

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


@dataclass(frozen=True)
class EspeakLibrary:
    """A libespeak-ng and its data, other than the system's."""

    folder: Path  # holds libespeak-ng.so.1 and espeak-ng-data/
    version: str

    @classmethod
    def from_package(cls) -> "EspeakLibrary | None":
        """The library of the ``espeakng-loader`` package, when it is installed."""
        try:
            import espeakng_loader
        except ImportError:
            return None
        from importlib.metadata import version

        folder = Path(espeakng_loader.get_library_path()).parent
        return cls(folder, f"espeakng-loader {version('espeakng-loader')}")


class EspeakNg:
    name = "espeak"
    non_commercial = False

    def __init__(
        self,
        program: str = "espeak-ng",
        words_per_minute: int = WORDS_PER_MINUTE,
        library: EspeakLibrary | None = None,
    ):
        self.program = program
        self.words_per_minute = words_per_minute
        self.library = library
        self._sample_reasons: dict[str, str | None] = {}

    @classmethod
    def load(cls) -> "EspeakNg":
        return cls(library=EspeakLibrary.from_package())

    @property
    def _env(self) -> dict[str, str] | None:
        return None if self.library is None else {"LD_LIBRARY_PATH": str(self.library.folder)}

    @property
    def _data(self) -> list[str]:
        return [] if self.library is None else [f"--path={self.library.folder}"]

    @cached_property
    def _installed_voices(self) -> set[str] | None:
        if shutil.which(self.program) is None:
            return None
        listing = subprocess.run(
            [self.program, *self._data, "--voices"],
            capture_output=True,
            text=True,
            check=False,
            env=None if self._env is None else {**os.environ, **self._env},
        ).stdout
        return {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}

    def voice(self, lang: str) -> str:
        return narration_language(lang).offline_voice(self.name) or "none"

    def settings(self) -> dict[str, object]:
        data = "debian" if self.library is None else self.library.version
        return {"words_per_minute": self.words_per_minute, "data": data}

    def unavailable_reason(self, lang: str) -> str | None:
        voices = self._installed_voices
        if voices is None:
            install = "apt-get install espeak-ng"
            return f"{self.program} is not installed: run `{install}` (or `make setup`)"
        if narration_language(lang).offline_voice(self.name) is None:
            return f"espeak-ng has no voice for {lang} in narration/languages.yaml"
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
        newer = (
            "; the newer data of the Python package espeakng-loader reads Chinese: "
            "run `pip install espeakng-loader` (or `make setup`)"
            if self.library is None and voice == "cmn"
            else ""
        )
        return (
            f"{self.program} cannot read this language's script properly with voice "
            f"{voice!r}: it would spell out {share:.0%} of the words in another "
            f"language{written}{newer}"
        )

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang) or self._unreadable(text, self.voice(lang))
        if reason:
            raise SpeechUnavailable(reason)
        return self.speak(text, self.voice(lang))

    def speak(self, text: str, voice: str) -> Audio:
        """Speak ``text`` with ``voice`` without checking the script (bench/voices.py shows
        what a refused text would sound like)."""
        options = ["-v", voice, "-s", str(self.words_per_minute)]
        return speak_to_wav(
            lambda wav: [self.program, *self._data, *options, "-w", str(wav), "--stdin"],
            text,
            self._env,
        )

    def _run(self, options: list[str], text: str) -> bytes:
        return run([self.program, *self._data, *options, "--stdin"], text, self._env, TIMEOUT_S)
