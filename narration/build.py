"""Building the narration of many sites and languages: incremental, parallel, reported.

A build has two steps. First the text of every item is settled, one site at a time (the
human text, or a machine translation kept in the knowledge base). Then the audio of every
item is made in parallel: an item whose inputs have not changed finds its files by their
digest and costs a database lookup; only changed items are spoken and encoded.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum

from narration.audio import PIPELINE, AudioError, normalise_and_encode
from narration.errors import NarrationError
from narration.languages import narration_language
from narration.library import HUMAN, MACHINE, AudioLibrary, AudioVersion
from narration.speech.base import SpeechFailed, SpeechUnavailable, Synthesizer
from narration.speech.engines import Voices
from narration.texts import SpokenText, TextSource
from sites_data.schema import Site

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    BUILT = "built"
    REUSED = "reused"
    FAILED = "failed"


@dataclass(frozen=True)
class ItemResult:
    site_key: str
    lang: str
    outcome: Outcome
    engine: str | None = None
    detail: str = ""


@dataclass
class BuildReport:
    results: list[ItemResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failures(self) -> list[ItemResult]:
        return [result for result in self.results if result.outcome == Outcome.FAILED]


def synthesis_digest(site: Site, lang: str, text: str, engine: Synthesizer) -> str:
    """The content address of a synthesised narration: everything that shapes its files."""
    inputs = {
        "text": text,
        "lang": lang,
        "title": site.name(lang),
        "engine": engine.name,
        "voice": engine.voice(lang),
        "settings": engine.settings(),
        "audio": PIPELINE,
    }
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Builder:
    def __init__(
        self, library: AudioLibrary, voices: Voices, texts: TextSource, author: str
    ) -> None:
        self.library = library
        self.voices = voices
        self.texts = texts
        self.author = author

    def build(
        self,
        sites: Iterable[Site],
        langs: list[str],
        engine_choice: str,
        jobs: int = 2,
        on_result: Callable[[ItemResult], None] | None = None,
    ) -> BuildReport:
        report = BuildReport()

        def done(result: ItemResult) -> None:
            report.results.append(result)
            if on_result is not None:
                on_result(result)

        current = self.library.current_versions()
        work: list[tuple[Site, str, SpokenText]] = []
        for site in sites:
            for lang, spoken in self.texts.spoken_texts(site, langs).items():
                if isinstance(spoken, str):
                    done(ItemResult(site.key, lang, Outcome.FAILED, detail=spoken))
                else:
                    work.append((site, lang, spoken))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [
                pool.submit(self._item, site, lang, spoken, engine_choice, current)
                for site, lang, spoken in work
            ]
            for future in as_completed(futures):
                done(future.result())
        return report

    def _item(
        self,
        site: Site,
        lang: str,
        spoken: SpokenText,
        engine_choice: str,
        current: dict[tuple[str, str], AudioVersion],
    ) -> ItemResult:
        if not spoken.text.strip():
            return ItemResult(site.key, lang, Outcome.FAILED, detail="the narration text is empty")
        now = current.get((site.key, lang))
        if now is not None and now.origin == HUMAN:
            return ItemResult(site.key, lang, Outcome.REUSED, "recording", "a person's recording")
        try:
            candidates = self.voices.candidates(lang, engine_choice)
        except NarrationError as error:
            return ItemResult(site.key, lang, Outcome.FAILED, detail=str(error))
        failures: list[str] = []
        for position, engine in enumerate(candidates, start=1):
            digest = synthesis_digest(site, lang, spoken.text, engine)
            if now is not None and now.digest == digest and self.library.has_files(digest):
                return ItemResult(site.key, lang, Outcome.REUSED, engine.name)
            existing = self.library.find(site.key, lang, digest)
            if existing is not None:
                self.library.select(existing)
                return ItemResult(site.key, lang, Outcome.REUSED, engine.name)
            try:
                self._synthesize(site, lang, spoken, engine, digest)
            except (SpeechUnavailable, SpeechFailed, AudioError) as error:
                failures.append(f"{engine.name}: {error}")
                if position < len(candidates):
                    following = candidates[position].name
                    log.warning("%s (%s): %s; trying %s", site.key, lang, failures[-1], following)
                continue
            detail = f"after {'; '.join(failures)}" if failures else ""
            return ItemResult(site.key, lang, Outcome.BUILT, engine.name, detail)
        return ItemResult(site.key, lang, Outcome.FAILED, detail="; ".join(failures))

    def _synthesize(
        self, site: Site, lang: str, spoken: SpokenText, engine: Synthesizer, digest: str
    ) -> None:
        audio = engine.synthesize(spoken.text, lang)
        with self.library.work_dir() as work_dir:
            encoded = normalise_and_encode(
                audio,
                work_dir,
                title=site.name(lang),
                language_tag=narration_language(lang).iso3,
                what=f"the narration of {site.key} in {lang}",
            )
            self.library.publish(
                encoded,
                digest,
                site_key=site.key,
                lang=lang,
                origin=MACHINE,
                engine=engine.name,
                voice=engine.voice(lang),
                transcript=spoken.text,
                author=self.author,
            )
