"""Narration tests run on a real SQLite database and a real audio folder."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.translation.models import ModelSpec, TransformersTranslator
from sites_data.db import Database, make_engine, upgrade
from sites_data.store import SiteStore
from tests.factories import make_site
from tests.narration.tiny_models import tiny_m2m100, tiny_marian, tiny_vits


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'guide.db'}")
    upgrade(engine)
    SiteStore(Database(engine)).load([make_site("test-tower")])
    return engine


ABSENT_MODEL = "/models/not-here"


@pytest.fixture
def narration(sqlite_engine: Engine, tmp_path: Path) -> Narration:
    """Speaks with espeak-ng; its translation model is absent, as on a fresh machine."""
    translator = TransformersTranslator(ModelSpec(ABSENT_MODEL))
    return Narration(
        SiteStore(Database(sqlite_engine)), tmp_path / "audio", Voices([EspeakNg()]), translator
    )


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_marian(tmp_path_factory.mktemp("models") / "opus-mt-tiny")


@pytest.fixture(scope="session")
def tiny_m2m100_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_m2m100(tmp_path_factory.mktemp("models") / "m2m100-tiny")


@pytest.fixture(scope="session")
def tiny_vits_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_vits(tmp_path_factory.mktemp("models") / "mms-tts-vie-tiny")
