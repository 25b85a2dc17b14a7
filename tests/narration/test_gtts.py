"""gTTS at its network boundary: its service cannot be reached from here, so a stand-in
answers its HTTP requests (through ``responses``) with real MP3 audio, or with refusals."""

import base64
import json
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
import requests
import responses

from narration.build import Outcome
from narration.service import Narration
from narration.speech.base import SpeechFailed
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.speech.google import GoogleTts, chunks
from narration.speech.mms import MmsVits
from tests.narration.test_build import _outcomes

ENDPOINT = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
TEXT = (
    "Bạn đang đứng trên đồi Trầu, ngọn đồi đá thấp mà người Chăm gọi là Chok Hala, trước một "
    "trong những cụm tháp Chăm còn nguyên vẹn nhất Việt Nam: tháp Po Klong Garai. Ở đây còn ba "
    "công trình bằng gạch.\n\nGần lối lên nhất là tháp cổng."
)


@pytest.fixture(scope="module")
def tone_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("gtts") / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=220:duration=1.5", path],
        check=True,
    )
    return path.read_bytes()


class FakeService:
    """Answers like the batchexecute endpoint; ``refusals`` lists statuses to answer first."""

    def __init__(self, mp3: bytes) -> None:
        self.mp3 = mp3
        self.refusals: list[int] = []
        self.retry_after: str | None = None
        self.spoken: list[tuple[str, str]] = []
        self.times: list[float] = []

    def __call__(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.times.append(time.monotonic())
        if self.refusals:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return self.refusals.pop(0), headers, "refused"
        body = urllib.parse.unquote(str(request.body).removeprefix("f.req=").rstrip("&"))
        text, lang = json.loads(json.loads(body)[0][0][1])[:2]
        self.spoken.append((text, lang))
        audio = base64.b64encode(self.mp3).decode("ascii")
        line = '[["wrb.fr","jQ1olc","[\\"' + audio + '\\"]",null,null,null,"generic"]]'
        return 200, {}, ")]}'\n\n" + line + "\n"


@pytest.fixture
def service(tone_mp3: bytes) -> Iterator[FakeService]:
    fake = FakeService(tone_mp3)
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, ENDPOINT, callback=fake)
        yield fake


def _engine(**options: object) -> GoogleTts:
    return GoogleTts(reachability=lambda: None, **options)  # type: ignore[arg-type]


def test_the_text_goes_in_chunks_of_at_most_100_characters_in_order(
    service: FakeService,
) -> None:
    audio = _engine(min_interval_s=0).synthesize(TEXT, "vi")
    sent = [text for text, _ in service.spoken]
    assert all(len(text) <= 100 for text in sent)
    assert " ".join(sent).split() == TEXT.split()
    assert {lang for _, lang in service.spoken} == {"vi"}
    assert audio.format == "mp3" and audio.data == service.mp3 * len(sent)
    assert chunks("x" * 250) == ["x" * 100, "x" * 100, "x" * 50]


def test_requests_are_spaced_out(service: FakeService) -> None:
    _engine(min_interval_s=0.2).synthesize(TEXT, "vi")
    gaps = [later - earlier for earlier, later in pairwise(service.times)]
    assert len(gaps) >= 3 and min(gaps) >= 0.19


def test_a_429_is_retried_after_the_wait_the_service_asks_for(service: FakeService) -> None:
    waits: list[float] = []
    service.refusals, service.retry_after = [429, 429], "7"
    engine = _engine(min_interval_s=0, sleep=waits.append)
    audio = engine.synthesize("Xin chào.", "vi")
    assert audio.data == service.mp3
    assert waits == [7.0, 7.0]
    service.refusals, service.retry_after = [503], None
    engine.synthesize("Xin chào.", "vi")
    assert waits[-1] == 2.0  # no Retry-After: the engine's own backoff


def test_a_service_that_keeps_refusing_fails_and_the_next_engine_speaks(
    service: FakeService, narration: Narration, caplog: pytest.LogCaptureFixture
) -> None:
    waits: list[float] = []
    service.refusals = [429] * 100
    engine = _engine(min_interval_s=0, sleep=waits.append, attempts=3)
    with pytest.raises(SpeechFailed, match=r"gTTS failed 3 times; the last time: 429"):
        engine.synthesize("Xin chào.", "vi")
    assert waits == [2.0, 4.0]
    narration.voices = Voices([engine, EspeakNg()])
    assert _outcomes(narration, ["vi"]) == {"vi": Outcome.BUILT}
    assert narration.current("test-tower", "vi").engine == "espeak"  # type: ignore[union-attr]
    assert "gtts: gTTS failed 3 times" in caplog.text and "trying espeak" in caplog.text


def test_a_refused_text_is_not_retried(service: FakeService) -> None:
    service.refusals = [403]
    with pytest.raises(SpeechFailed, match="gTTS refused the text: 403"):
        _engine(min_interval_s=0).synthesize("Xin chào.", "vi")
    assert len(service.times) == 1


def test_an_unreachable_service_makes_the_engine_unavailable() -> None:
    engine = GoogleTts(reachability=lambda: "the gTTS service cannot be reached: timed out")
    assert engine.unavailable_reason("vi") == "the gTTS service cannot be reached: timed out"
    assert GoogleTts(reachability=lambda: None).unavailable_reason("vi") is None


def test_auto_prefers_gtts_when_its_service_answers(tiny_vits_dir: Path) -> None:
    voices = Voices([_engine(), MmsVits(f"vi={tiny_vits_dir}"), EspeakNg()])
    assert voices.chosen("vi") == "gtts"
    offline = Voices([GoogleTts(reachability=lambda: "unreachable"), EspeakNg()])
    assert offline.chosen("vi") == "espeak"
    assert offline.chosen("ja") is None
