"""A knowledge base of four small sites on a real SQLite file, opened for the actions."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.actions.knowledge import close_knowledge_base, open_knowledge_base
from sites_data.db import Database, make_engine, upgrade
from sites_data.store import SiteStore
from tests.factories import human_texts, make_site, site_document

NAMES = site_document()["names"]
FESTIVAL_SENTENCE = "Every October the Katê festival fills the hill with music."
FILLER = "The bricks were laid without visible mortar by skilled builders. "


def _narration_with(sentence: str) -> dict[str, Any]:
    english = sentence + " " + (FILLER * 20).strip()
    narration: dict[str, Any] = site_document()["narration"]
    return {**narration, "en": {"text": english, "origin": "human"}}


@pytest.fixture
def knowledge_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(
        [
            make_site(),
            make_site(
                "test-museum",
                category="museum",
                names={**NAMES, "en": "Test Museum", "vi": "Bảo tàng Thử", "de": "Testmuseum"},
                aliases={**site_document()["aliases"], "vi": ["Bao tang Thu"], "en": ["Museum"]},
                location={"lat": 13.80, "lon": 109.21},
                opening_hours={
                    "status": "unknown",
                    "note": human_texts(en="Ask the museum office."),
                },
                tickets={
                    "status": "unknown",
                    "note": human_texts(en="No official price was published."),
                },
            ),
            make_site(
                "test-beach",
                category="beach",
                names={**NAMES, "en": "Test Beach", "vi": "Bãi biển Thử"},
                aliases={
                    **site_document()["aliases"],
                    "vi": ["Bai bien Thu"],
                    "en": ["Trial Beach"],
                },
                location={"lat": 13.85, "lon": 109.20},
                opening_hours={"status": "open_access"},
                tickets={"status": "free"},
            ),
            make_site(
                "far-tower",
                names={**NAMES, "en": "Far Tower", "vi": "Tháp Xa"},
                aliases={**site_document()["aliases"], "vi": ["Thap Xa"], "en": ["Distant Tower"]},
                location={"lat": 11.60, "lon": 108.99},
                province={
                    "current": "Khánh Hòa",
                    "former": "Ninh Thuận",
                    "former_district": "Ninh Hải",
                },
                narration=_narration_with(FESTIVAL_SENTENCE),
            ),
        ]
    )
    open_knowledge_base(url)
    yield engine
    close_knowledge_base()
    engine.dispose()
