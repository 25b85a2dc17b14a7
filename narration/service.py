"""The narration's public API: what the command line, the web application and the staff
pages call.

    narration = Narration.load(settings)           # settings: see NarrationSettings
    narration.build(site_keys, langs)              # build (or reuse) audio; a BuildReport
    narration.current(site_key, lang)              # the AudioVersion visitors hear, or None
    narration.versions(site_key)                   # every AudioVersion per language
    narration.import_recording(site_key, lang, path, author)   # a person's recording wins

Every method raises ``NarrationError`` (or ``UnknownSite``) with a message meant for people.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from narration.build import Builder, BuildReport, ItemResult
from narration.languages import checked_languages
from narration.library import AudioLibrary, AudioVersion
from narration.recording import import_recording
from narration.speech.engines import AUTO, Voices
from narration.speech.espeak import EspeakNg
from narration.texts import KnowledgeBaseTexts
from sites_data.db import ready_engine
from sites_data.store import SiteStore

BUILD_AUTHOR = "narration build"


class NarrationSettings(Protocol):
    database_url: str
    audio_dir: str
    mt_model: str
    mt_backend: str
    mms_model: str


def load_voices(settings: NarrationSettings) -> Voices:
    """The speech engines, best first: the order ``auto`` tries them in."""
    return Voices([EspeakNg.load()])


class Narration:
    def __init__(self, store: SiteStore, library: AudioLibrary, voices: Voices) -> None:
        self.store = store
        self.library = library
        self.voices = voices

    @classmethod
    def load(cls, settings: NarrationSettings) -> "Narration":
        """The narration on the configured database (which must be set up) and audio folder."""
        engine = ready_engine(settings.database_url)
        return cls(
            SiteStore(engine),
            AudioLibrary(engine, Path(settings.audio_dir)),
            load_voices(settings),
        )

    def build(
        self,
        site_keys: list[str] | None = None,
        langs: list[str] | None = None,
        engine: str = AUTO,
        jobs: int = 2,
        on_result: Callable[[ItemResult], None] | None = None,
    ) -> BuildReport:
        """Build the narration of these sites (all when None) in these languages (all when
        None); unchanged items are reused. ``on_result`` hears about each item as it ends."""
        languages = checked_languages(langs)
        if site_keys:
            sites = [self.store.get(key).site for key in dict.fromkeys(site_keys)]
        else:
            sites = [stored.site for stored in self.store.sites()]
        builder = Builder(self.library, self.voices, KnowledgeBaseTexts(), BUILD_AUTHOR)
        return builder.build(sites, languages, engine, jobs, on_result)

    def import_recording(self, site_key: str, lang: str, source: Path, author: str) -> AudioVersion:
        """Check a person's recording (decodes, 5 s to 30 min, not silent), normalise it and
        make it the version visitors hear; raises AudioError with the reason otherwise."""
        site = self.store.get(site_key).site
        return import_recording(self.library, site, lang, source, author)

    def current(self, site_key: str, lang: str) -> AudioVersion | None:
        return self.library.current(site_key, lang)

    def versions(self, site_key: str) -> dict[str, list[AudioVersion]]:
        return self.library.versions(site_key)
