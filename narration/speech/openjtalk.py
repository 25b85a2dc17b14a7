"""Open JTalk (``pyopenjtalk-plus``): Japanese read with its dictionary, kanji included.

The wheel carries the dictionary (MIT / modified BSD) and the HTS voice "Mei" (CC BY 3.0,
MMDAgent Project Team), so it works offline as soon as pip installed it.
"""

import io
import threading
import wave

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechFailed, SpeechUnavailable
from narration.translation.segments import paragraphs

INSTALL = "pip install pyopenjtalk-plus"
INT16_MAX = 32767
# Open JTalk reads a whole text as one utterance and slows down on long ones: paragraph by
# paragraph is faster, with a pause between them.
PAUSE_S = 0.6


class OpenJTalk:
    name = "openjtalk"
    non_commercial = False

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one Open JTalk instance, not thread-safe

    @classmethod
    def load(cls) -> "OpenJTalk":
        return cls()

    def voice(self, lang: str) -> str:
        return narration_language(lang).offline_voice(self.name) or "none"

    def settings(self) -> dict[str, object]:
        return {"pause_s": PAUSE_S}

    def unavailable_reason(self, lang: str) -> str | None:
        if narration_language(lang).offline_voice(self.name) is None:
            return f"Open JTalk speaks Japanese only, not {lang}"
        try:
            import pyopenjtalk  # noqa: F401
        except ImportError:
            return f"Open JTalk is not installed: run `{INSTALL}` (or `make setup`)"
        return None

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang)
        if reason:
            raise SpeechUnavailable(reason)
        import numpy as np
        import pyopenjtalk

        pieces, rate = [], 48_000
        with self._lock:
            for paragraph in paragraphs(text):
                try:
                    samples, rate = pyopenjtalk.tts(paragraph)
                except (RuntimeError, ValueError) as error:
                    raise SpeechFailed(f"Open JTalk failed: {error}") from None
                pieces.extend([samples, np.zeros(int(PAUSE_S * rate))])
        if not pieces:
            raise SpeechFailed("Open JTalk produced no audio for this text")
        waveform = np.concatenate(pieces)
        # Open JTalk's samples are on the int16 scale but may pass it: scale, never clip.
        peak = float(np.abs(waveform).max())
        if peak > INT16_MAX:
            waveform = waveform * (INT16_MAX / peak)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(int(rate))
            out.writeframes(waveform.astype("<i2").tobytes())
        return Audio(data=buffer.getvalue(), format="wav")
