"""Narration tests run on a real SQLite database and a real audio folder."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from narration.library import AudioLibrary
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from sites_data.db import make_engine, upgrade
from sites_data.store import SiteStore
from tests.factories import make_site


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'guide.db'}")
    upgrade(engine)
    SiteStore(engine).load([make_site("test-tower")])
    return engine


@pytest.fixture
def narration(sqlite_engine: Engine, tmp_path: Path) -> Narration:
    return Narration(
        SiteStore(sqlite_engine),
        AudioLibrary(sqlite_engine, tmp_path / "audio"),
        Voices([EspeakNg()]),
    )
