"""The narration's public API: what the command line, the web application and the staff
pages call.

    narration = Narration.load(settings, store)  # settings: see NarrationSettings

    narration.create_machine_drafts(site_key, langs=None)
        # (a) machine translations for the languages the site lacks (or whose machine text is
        # out of date), saved in the knowledge base as a revision by "narration (<model>)"
        # with origin "machine"; never over a human or reviewed text. Returns a DraftReport:
        # drafted {lang: model}, kept [lang], failed {lang: reason}.
    narration.rebuild_in_background(site_key, langs=None, engine="auto")
        # (b) a Future[BuildReport]: texts, then audio, for those languages of one site, on
        # this object's own worker thread (one build at a time); the request returns at once.
    narration.import_recording(site_key, lang, path, author)
        # (c) a person's recording: checked (decodes, 5 s to 30 min, not silent), normalised,
        # stored; visitors hear it instead of synthesis. Returns its AudioVersion; raises
        # AudioError with the reason when the file is refused (nothing is kept then).
    narration.versions(site_key)
        # (d) {lang: [AudioVersion, …]}, the version visitors hear first in each list.
    narration.current(site_key, lang)           # the AudioVersion visitors hear, or None
    narration.build(site_keys, langs, engine, jobs, on_result)   # what `guide narration build` does

An AudioVersion holds: site_key, lang, digest, origin ("human" | "machine"), engine
("recording" | "gtts" | "piper" | "openjtalk" | "rhvoice" | "pico" | "espeak" | "mms"), voice,
transcript, duration_s, loudness_lufs, true_peak_db, created_at, created_by, selected_at; its
files are at ``narration.library.file_path(digest, "mp3" | "opus")``, served at
``/audio/{key}/{lang}/{digest}.mp3`` (and ``.opus``).
Every method raises ``NarrationError`` (or ``UnknownSite``) with a message meant for people.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Protocol

from narration.build import Builder, BuildReport, ItemResult
from narration.languages import checked_languages
from narration.library import AudioLibrary, AudioVersion
from narration.recording import import_recording
from narration.speech.engines import AUTO, Voices
from narration.speech.espeak import EspeakNg
from narration.speech.google import GoogleTts
from narration.speech.mms import MmsVits
from narration.speech.openjtalk import OpenJTalk
from narration.speech.pico import Pico
from narration.speech.piper import Piper
from narration.speech.rhvoice import RhVoice
from narration.translation.base import Translator
from narration.translation.ctranslate import BACKEND as CTRANSLATE2
from narration.translation.ctranslate import CTranslate2Translator
from narration.translation.drafts import DraftReport, MachineDrafts, TranslatedTexts
from narration.translation.memory import RememberingTranslator, TranslationMemory
from narration.translation.models import ModelSpec, TransformersTranslator
from sites_data.languages import LANGUAGE_CODES
from sites_data.store import SiteStore

BUILD_AUTHOR = "narration build"


class NarrationSettings(Protocol):
    """What the narration reads of the settings (read-only, so narrower types fit)."""

    @property
    def database_url(self) -> str: ...
    @property
    def audio_dir(self) -> str: ...
    @property
    def mt_model(self) -> str: ...
    @property
    def mt_backend(self) -> str: ...
    @property
    def mms_model(self) -> str: ...


def load_voices(settings: NarrationSettings) -> Voices:
    """Every speech engine; ``auto`` orders them per language (``languages.yaml``)."""
    return Voices(
        [
            GoogleTts.load(),
            Piper.load(),
            OpenJTalk.load(),
            RhVoice.load(),
            Pico.load(),
            EspeakNg.load(),
            MmsVits.load(settings.mms_model),
        ]
    )


def load_translator(settings: NarrationSettings) -> Translator:
    spec = ModelSpec(settings.mt_model)
    if settings.mt_backend == CTRANSLATE2:
        return CTranslate2Translator(spec, Path(settings.audio_dir) / ".models" / CTRANSLATE2)
    return TransformersTranslator(spec)


class Narration:
    def __init__(
        self, store: SiteStore, audio_dir: Path, voices: Voices, translator: Translator
    ) -> None:
        """The narration of the sites in ``store``; its audio and translation memory are kept
        in the store's database."""
        self.store = store
        self.library = AudioLibrary(store.database, audio_dir)
        self.voices = voices
        memory = TranslationMemory(store.database)
        self.drafts = MachineDrafts(self.store, RememberingTranslator(translator, memory), memory)

    @classmethod
    def load(cls, settings: NarrationSettings, store: SiteStore) -> "Narration":
        """The narration of the sites in ``store``, with the configured audio folder, voices
        and translation model."""
        return cls(
            store,
            Path(settings.audio_dir),
            load_voices(settings),
            load_translator(settings),
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
        builder = Builder(self.library, self.voices, TranslatedTexts(self.drafts), BUILD_AUTHOR)
        return builder.build(sites, languages, engine, jobs, on_result)

    def create_machine_drafts(
        self, site_key: str, langs: list[str] | None = None, author: str | None = None
    ) -> DraftReport:
        """Machine texts for the languages this site lacks (all the guide's by default),
        saved as a revision by ``author`` (who asked), else by the narration's models."""
        languages = checked_languages(langs or list(LANGUAGE_CODES))
        return self.drafts.draft(site_key, languages, author)[1]

    @cached_property
    def _background(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="narration")

    def rebuild_in_background(
        self, site_key: str, langs: list[str] | None = None, engine: str = AUTO
    ) -> "Future[BuildReport]":
        """Rebuild one site's narration on a worker thread; the Future holds the report."""
        self.store.get(site_key)
        checked_languages(langs)
        return self._background.submit(self.build, [site_key], langs, engine, 1)

    def import_recording(self, site_key: str, lang: str, source: Path, author: str) -> AudioVersion:
        """Check a person's recording (decodes, 5 s to 30 min, not silent), normalise it and
        make it the version visitors hear; raises AudioError with the reason otherwise."""
        site = self.store.get(site_key).site
        return import_recording(self.library, site, lang, source, author)

    def current(self, site_key: str, lang: str) -> AudioVersion | None:
        return self.library.current(site_key, lang)

    def versions(self, site_key: str) -> dict[str, list[AudioVersion]]:
        return self.library.versions(site_key)
