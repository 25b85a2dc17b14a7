"""gTTS: Google Translate's speech, online. Good voices for every language, but a service that
throttles: the text goes in chunks of at most 100 characters, one request at a time with a
pause between them, and a refused request (429, 5xx, a dropped connection) is retried after
a growing wait, or after the wait the service asks for.
"""

import io
import re
import socket
import threading
import time
from collections.abc import Callable

import requests
from gtts import gTTS, gTTSError
from gtts.lang import tts_langs

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechFailed
from narration.translation.segments import sentences

MAX_CHARS = gTTS.GOOGLE_TTS_MAX_CHARS
SERVICE = ("translate.google.com", 443)
MIN_INTERVAL_S = 0.5
ATTEMPTS = 4
BACKOFF_S = 2.0
TIMEOUT_S = 15.0
MAX_WAIT_S = 60.0


def chunks(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut between sentences, clauses, then words."""
    pieces: list[str] = []
    for sentence in (s for paragraph in text.split("\n\n") for s in sentences(paragraph)):
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        current = ""
        for word in re.split(r"(?<=[,;:])\s+|\s+", sentence):
            while len(word) > limit:  # a "word" longer than the limit: cut it
                pieces.append(word[:limit])
                word = word[limit:]
            if current and len(current) + 1 + len(word) > limit:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            pieces.append(current)
    return pieces


def _service_reachable() -> str | None:
    try:
        socket.create_connection(SERVICE, timeout=3).close()
    except OSError as error:
        return f"the gTTS service ({SERVICE[0]}) cannot be reached from this machine: {error}"
    return None


class GoogleTts:
    name = "gtts"
    non_commercial = False

    def __init__(
        self,
        min_interval_s: float = MIN_INTERVAL_S,
        attempts: int = ATTEMPTS,
        backoff_s: float = BACKOFF_S,
        reachability: Callable[[], str | None] = _service_reachable,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval_s = min_interval_s
        self.attempts = attempts
        self.backoff_s = backoff_s
        self._reachability = reachability
        self._sleep = sleep
        self._unreachable: str | None = None
        self._checked = False
        self._lock = threading.Lock()  # one request at a time, from any build thread
        self._last_request = 0.0

    @classmethod
    def load(cls) -> "GoogleTts":
        return cls()

    def voice(self, lang: str) -> str:
        return narration_language(lang).gtts

    def settings(self) -> dict[str, object]:
        return {"tld": "com", "slow": False}

    def unavailable_reason(self, lang: str) -> str | None:
        if self.voice(lang) not in tts_langs():
            return f"gTTS has no voice for {self.voice(lang)!r}"
        if not self._checked:
            self._unreachable, self._checked = self._reachability(), True
        return self._unreachable

    def synthesize(self, text: str, lang: str) -> Audio:
        parts = chunks(text)
        if not parts:
            raise SpeechFailed("there is no text to speak")
        mp3 = b"".join(self._speak(part, self.voice(lang)) for part in parts)
        return Audio(data=mp3, format="mp3")

    def _speak(self, chunk: str, voice: str) -> bytes:
        failures: list[str] = []
        wait_s = 0.0
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(wait_s)
            try:
                return self._request(chunk, voice)
            except gTTSError as error:
                response = error.rsp
                status = None if response is None else response.status_code
                if status is not None and status < 500 and status != 429:
                    raise SpeechFailed(f"gTTS refused the text: {error}") from None
                failures.append(str(error))
                wait_s = _retry_after(response) or self.backoff_s * 2**attempt
        raise SpeechFailed(f"gTTS failed {self.attempts} times; the last time: {failures[-1]}")

    def _request(self, chunk: str, voice: str) -> bytes:
        with self._lock:  # one request at a time, spaced out, whichever thread asks
            wait_s = self._last_request + self.min_interval_s - time.monotonic()
            if wait_s > 0:
                self._sleep(wait_s)
            try:
                buffer = io.BytesIO()
                gTTS(chunk, lang=voice, lang_check=False, timeout=TIMEOUT_S).write_to_fp(buffer)
                return buffer.getvalue()
            finally:
                self._last_request = time.monotonic()


def _retry_after(response: requests.Response | None) -> float | None:
    """The wait a throttling service asks for (``Retry-After: <seconds>``), within reason."""
    value = "" if response is None else response.headers.get("Retry-After", "")
    return min(MAX_WAIT_S, float(value)) if value.isdigit() else None
