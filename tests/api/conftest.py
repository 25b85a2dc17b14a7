"""An app on a real SQLite database holding three small test sites."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.store import SiteStore
from tests.factories import human_texts, make_site, site_document
from tests.fake_rasa import FakeRasa, fake_rasa

NAMES = site_document()["names"]


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    with fake_rasa() as server:
        yield server


@pytest.fixture
def database_file(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    engine = make_engine(url)
    upgrade(engine)
    museum_names = {**NAMES, "vi": "Bảo tàng Thử", "en": "Test Museum", "fr": "Musée d'essai"}
    SiteStore(Database(engine)).load(
        [
            make_site(
                related=["test-museum", "far-away"],
                notes=human_texts(en="<script>alert('note')</script> & <b>bold</b>"),
            ),
            make_site(
                "test-museum",
                category="museum",
                names=museum_names,
                aliases={**site_document()["aliases"], "vi": ["Bao tang Thu"], "en": ["Museum"]},
                location={"lat": 13.80, "lon": 109.21},
                description={
                    **site_document()["description"],
                    "fr": {"text": "Un musée.", "origin": "machine", "model": "opus-mt-en-fr"},
                },
            ),
            make_site(
                "far-away",
                names={**NAMES, "vi": "Xa Xôi", "en": "Far Away"},
                aliases={**site_document()["aliases"], "vi": ["Xa Xoi"]},
                location={"lat": 11.60, "lon": 108.99},
                province={
                    "current": "Khánh Hòa",
                    "former": "Ninh Thuận",
                    "former_district": "Ninh Hải",
                },
            ),
        ]
    )
    return url


@pytest.fixture
def client(database_file: str, rasa: FakeRasa, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_file,
        rasa_url=rasa.url,
        chat_timeout_s=1.0,
        cache_dir=str(tmp_path / "cache"),
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client
