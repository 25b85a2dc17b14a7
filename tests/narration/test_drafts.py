"""Machine drafts in the knowledge base: made once, kept while current, never over people's
text; built into audio through ``GUIDE_MT_MODEL`` like any model."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from transformers import MarianMTModel
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.translation.models import ModelSpec, TransformersTranslator
from sites_data.db import Database
from sites_data.schema import LocalizedText
from sites_data.store import SiteStore
from tests.narration.test_translation import _spy_generate


@pytest.fixture
def drafting(sqlite_engine: Engine, tmp_path: Path, tiny_marian_dir: Path) -> Narration:
    translator = TransformersTranslator(ModelSpec(str(tiny_marian_dir)))
    return Narration(
        SiteStore(Database(sqlite_engine)), tmp_path / "audio", Voices([EspeakNg()]), translator
    )


def _set_text(store: SiteStore, lang: str, text: LocalizedText, field: str = "narration") -> None:
    stored = store.get("test-tower")
    texts = {**getattr(stored.site, field), lang: text}
    store.update(stored.site.model_copy(update={field: texts}), stored.revision, "staff")


def test_drafts_are_stored_as_machine_text_with_their_model(
    drafting: Narration, tiny_marian_dir: Path
) -> None:
    before = drafting.store.get("test-tower").site
    report = drafting.create_machine_drafts("test-tower", ["fr", "de"])
    assert report.drafted == {"fr": str(tiny_marian_dir), "de": str(tiny_marian_dir)}
    stored = drafting.store.get("test-tower")
    for lang in ("fr", "de"):
        for field in (stored.site.narration, stored.site.description):
            assert field[lang].origin == "machine"
            assert field[lang].model == str(tiny_marian_dir)
    assert stored.site.narration["en"] == before.narration["en"]
    assert stored.updated_by == f"narration ({tiny_marian_dir})"
    assert len(drafting.store.revisions("test-tower")) == 2


def test_unchanged_drafts_cost_nothing_and_a_changed_source_only_its_new_sentence(
    drafting: Narration, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafting.create_machine_drafts("test-tower", ["fr"])
    revisions = len(drafting.store.revisions("test-tower"))
    calls = _spy_generate(monkeypatch, MarianMTModel)
    assert drafting.create_machine_drafts("test-tower", ["fr"]).kept == ["fr"]
    assert calls == [] and len(drafting.store.revisions("test-tower")) == revisions

    english = drafting.store.get("test-tower").site.narration["en"]
    changed = LocalizedText(text=english.text + " The gate faces east.", origin="human")
    _set_text(drafting.store, "en", changed)
    assert drafting.create_machine_drafts("test-tower", ["fr"]).drafted
    assert [int(call["input_ids"].shape[0]) for call in calls] == [1]


def test_people_s_text_is_never_replaced_nor_machine_text_made_elsewhere(
    drafting: Narration,
) -> None:
    human = LocalizedText(text="Une tour écrite par une personne.", origin="human")
    _set_text(drafting.store, "fr", human)
    elsewhere = LocalizedText(text="Ein Turm.", origin="machine", model="opus-mt-en-de")
    _set_text(drafting.store, "de", elsewhere)
    drafting.create_machine_drafts("test-tower", ["fr", "de"])
    site = drafting.store.get("test-tower").site
    assert site.narration["fr"] == human and site.narration["de"] == elsewhere
    assert site.description["fr"].origin == "machine"  # only the missing one was drafted


def test_the_build_translates_then_speaks_through_guide_mt_model(
    sqlite_engine: Engine, tmp_path: Path, tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", str(sqlite_engine.url))
    monkeypatch.setenv("GUIDE_AUDIO_DIR", str(tmp_path / "audio"))
    monkeypatch.setenv("GUIDE_MT_MODEL", str(tiny_marian_dir))
    get_settings.cache_clear()
    # The tiny model's random words are no French: espeak-ng refuses them as foreign words,
    # SVOX Pico speaks whatever it is given, which is what this wiring test needs.
    command = ["narration", "build", "--site", "test-tower", "--lang", "fr", "--engine", "pico"]
    result = CliRunner().invoke(app, command)
    rebuilt = CliRunner().invoke(app, command)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Narration: 1 built, 0 reused, 0 failed." in result.stdout
    assert "Narration: 0 built, 1 reused, 0 failed." in rebuilt.stdout
    site = SiteStore(Database(sqlite_engine)).get("test-tower").site
    assert site.narration["fr"].model == str(tiny_marian_dir)
