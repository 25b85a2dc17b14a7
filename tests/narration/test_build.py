"""Building narration: built once, reused when nothing changed, rebuilt only where changed."""

import logging
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from narration.audio import Audio
from narration.build import Builder, Outcome
from narration.service import Narration
from narration.speech.base import SpeechFailed
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.tables import NarrationAudioRow
from narration.texts import SpokenText
from narration.translation.base import IdentityTranslator
from sites_data.db import Database
from sites_data.languages import UnsupportedLanguage
from sites_data.schema import LocalizedText, Site
from sites_data.store import SiteStore, UnknownSite
from tests.factories import make_site
from tests.narration.audio_checks import loudness


class BrokenEngine:
    """An engine that always fails, to see the next one take over."""

    name = "broken"
    non_commercial = False

    def unavailable_reason(self, lang: str) -> str | None:
        return None

    def voice(self, lang: str) -> str:
        return "none"

    def settings(self) -> dict[str, object]:
        return {}

    def synthesize(self, text: str, lang: str) -> Audio:
        raise SpeechFailed("the service answered 503")


def _outcomes(narration: Narration, langs: list[str]) -> dict[str, Outcome]:
    report = narration.build(["test-tower"], langs)
    return {result.lang: result.outcome for result in report.results}


def _rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(NarrationAudioRow)) or 0)


def test_built_once_then_reused_then_rebuilt_only_where_the_text_changed(
    narration: Narration, sqlite_engine: Engine
) -> None:
    assert _outcomes(narration, ["vi", "en"]) == {"vi": Outcome.BUILT, "en": Outcome.BUILT}
    first = narration.current("test-tower", "en")
    assert first is not None and first.engine == "espeak" and first.origin == "machine"
    for fmt in ("mp3", "opus"):
        integrated, true_peak = loudness(narration.library.file_path(first.digest, fmt))
        assert integrated == pytest.approx(-16, abs=1) and true_peak <= -1

    started = time.perf_counter()
    assert _outcomes(narration, ["vi", "en"]) == {"vi": Outcome.REUSED, "en": Outcome.REUSED}
    assert time.perf_counter() - started < 1.0

    store = SiteStore(Database(sqlite_engine))
    stored = store.get("test-tower")
    new_text = LocalizedText(text=stored.site.narration["en"].text + " A new line.", origin="human")
    site = stored.site.model_copy(update={"narration": {**stored.site.narration, "en": new_text}})
    store.update(site, stored.revision, "staff")
    assert _outcomes(narration, ["vi", "en"]) == {"vi": Outcome.REUSED, "en": Outcome.BUILT}
    now = narration.current("test-tower", "en")
    assert now is not None and now.digest != first.digest
    assert now.transcript == new_text.text
    assert [version.digest for version in narration.versions("test-tower")["en"]] == [
        now.digest,
        first.digest,
    ]
    assert _rows(sqlite_engine) == 3


def test_a_failing_engine_hands_over_to_the_next_and_is_logged(
    narration: Narration, caplog: pytest.LogCaptureFixture
) -> None:
    narration.voices = Voices([BrokenEngine(), EspeakNg()])
    with caplog.at_level(logging.WARNING):
        report = narration.build(["test-tower"], ["vi"])
    (result,) = report.results
    assert result.outcome == Outcome.BUILT and result.engine == "espeak"
    assert "broken: the service answered 503" in result.detail
    assert "test-tower (vi): broken: the service answered 503; trying espeak" in caplog.text


def test_what_cannot_be_built_fails_with_its_reason(narration: Narration) -> None:
    report = narration.build(["test-tower"], ["ko", "zh"], engine="espeak")
    reasons = {result.lang: result.detail for result in report.failures}
    assert set(reasons) == {"ko", "zh"}
    assert reasons["ko"].startswith("translation model '/models/not-here' is not on this machine")
    store = narration.store
    stored = store.get("test-tower")
    chinese = LocalizedText(text="波克朗加莱占婆塔。", origin="machine", model="a-model")
    site = stored.site.model_copy(update={"narration": {**stored.site.narration, "zh": chinese}})
    store.update(site, stored.revision, "staff")
    (failure,) = narration.build(["test-tower"], ["zh"], engine="espeak").failures
    assert failure.detail.startswith("espeak cannot speak zh: espeak-ng cannot read this")
    narration.voices = Voices([BrokenEngine()])
    (failure,) = narration.build(["test-tower"], ["vi"], engine="broken").failures
    assert failure.detail == "broken: the service answered 503"
    with pytest.raises(
        UnsupportedLanguage, match="unknown language 'xx'; the supported ones are vi, en"
    ):
        narration.build(["test-tower"], ["xx"])


def test_two_builds_of_the_same_item_at_once_leave_one_intact_version(
    narration: Narration, sqlite_engine: Engine, tmp_path: Path
) -> None:
    other = Narration(
        SiteStore(Database(sqlite_engine)),
        tmp_path / "audio",
        Voices([EspeakNg()]),
        IdentityTranslator(),
    )
    outcomes: list[Outcome] = []

    def build(on: Narration) -> None:
        outcomes.extend(result.outcome for result in on.build(["test-tower"], ["vi"]).results)

    threads = [threading.Thread(target=build, args=(on,)) for on in (narration, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {Outcome.BUILT, Outcome.REUSED} and len(outcomes) == 2
    assert _rows(sqlite_engine) == 1
    version = narration.current("test-tower", "vi")
    assert version is not None
    for fmt in ("mp3", "opus"):
        assert loudness(narration.library.file_path(version.digest, fmt))[0] == pytest.approx(
            -16, abs=1
        )
    assert list((tmp_path / "audio" / ".work").iterdir()) == []


class EmptyTexts:
    def spoken_texts(self, site: Site, langs: list[str]) -> dict[str, SpokenText | str]:
        return {lang: SpokenText("  \n ", "machine", "a-model") for lang in langs}


def test_an_empty_text_fails_without_reaching_an_engine(narration: Narration) -> None:
    builder = Builder(narration.library, Voices([BrokenEngine()]), EmptyTexts(), "test")
    (result,) = builder.build([make_site()], ["fr"], "broken").results
    assert (result.outcome, result.detail) == (Outcome.FAILED, "the narration text is empty")


def test_a_rebuild_in_the_background_reports_when_done(narration: Narration) -> None:
    future = narration.rebuild_in_background("test-tower", ["vi"])
    report = future.result(timeout=120)
    assert [(result.lang, result.outcome) for result in report.results] == [("vi", Outcome.BUILT)]
    assert list(narration.versions("test-tower")) == ["vi"]
    with pytest.raises(UnknownSite):
        narration.rebuild_in_background("nowhere")
