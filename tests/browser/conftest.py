"""A real server on a real port for the browser tests (Chromium comes from tests/conftest.py)."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore
from tests.api.admin.factories import make_staff
from tests.conftest import NarratedGuide
from tests.fake_rasa import FakeRasa, fake_rasa


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def rasa() -> Iterator[FakeRasa]:
    with fake_rasa() as server:
        yield server


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The live server's database, holding the shipped sites."""
    database = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'guide.db'}"
    engine = make_engine(database)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    return database


@pytest.fixture(scope="session")
def staff(live_database: str) -> str:
    """An editor, eva, on the live server."""
    make_staff(live_database)
    return "eva"


@pytest.fixture(scope="session")
def live_server(live_database: str, rasa: FakeRasa) -> Iterator[str]:
    database = live_database
    settings = Settings(database_url=database, rasa_url=rasa.url, chat_timeout_s=2.0)
    with serving(settings) as url:
        yield url


@contextmanager
def serving(settings: Settings, port: int | None = None) -> Iterator[str]:
    """The guide with these settings on ``port`` (else a free one) while the block runs."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the guide did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def narrated_server(narrated_guide: NarratedGuide, rasa: FakeRasa) -> Iterator[str]:
    """The guide serving the test site whose narration is built (see ``narrated_guide``)."""
    settings = Settings(
        database_url=narrated_guide.database_url,
        audio_dir=str(narrated_guide.audio_dir),
        rasa_url=rasa.url,
    )
    with serving(settings) as url:
        yield url
