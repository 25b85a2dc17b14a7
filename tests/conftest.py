"""Shared fixtures: real databases (SQLite files and a throwaway PostgreSQL server)."""

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from sqlalchemy import Engine

from bench import servers
from narration.build import Outcome
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.translation.base import IdentityTranslator
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.schema import Site
from sites_data.store import SiteStore
from tests.factories import make_site

POSTGRES_BIN = Path("/usr/lib/postgresql")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Map tiles fail at once instead of waiting on a network this machine does not have.
MAP_TILES_HOST = "tile.openstreetmap.org"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_bin() -> Path:
    versions = sorted(POSTGRES_BIN.glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL server binaries are missing: run `make setup` (Debian: postgresql)")
    return versions[-1].parent


@pytest.fixture(scope="session", autouse=True)
def job_queue_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The servers that live through the session queue their jobs here, never in var/."""
    with pytest.MonkeyPatch.context() as patch:
        jobs = tmp_path_factory.mktemp("jobs") / "jobs.db"
        patch.setenv("GUIDE_JOBS_URL", f"sqlite:///{jobs}")
        yield


@pytest.fixture(autouse=True)
def job_queue_of_the_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's jobs go to a queue of its own, which no other test's job reaches."""
    monkeypatch.setenv("GUIDE_JOBS_URL", f"sqlite:///{tmp_path / 'jobs.db'}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of our own for the test session, or GUIDE_TEST_POSTGRES_URL's."""
    given = os.environ.get("GUIDE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_dir = _postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="guide-pg-"))
    # initdb refuses to run as root: the server runs as the postgres account then.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    run = [*as_user]
    subprocess.run(
        [
            *run,
            bin_dir / "initdb",
            "-D",
            data,
            "-U",
            "guide",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -h 127.0.0.1 -F"
    subprocess.run(
        [*run, bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://guide@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A Redis server of our own (Debian's redis-server) on a free port, memory only."""
    try:
        with servers.redis() as url:
            yield url
    except servers.ServerFailed as error:
        pytest.fail(str(error))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind the guide supports."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'guide.db'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:12]}"
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> SiteStore:
    return SiteStore(Database(engine))


@pytest.fixture(scope="session")
def shipped_sites() -> list[Site]:
    return read_site_files()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Headless Chromium (Debian's chromium and chromedriver), shared by the browser tests."""
    for program, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not program.exists():
            pytest.fail(f"{program} is missing: run `make setup` (Debian package {package})")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1100,800",
        "--autoplay-policy=no-user-gesture-required",
        f"--host-resolver-rules=MAP {MAP_TILES_HOST} ~NOTFOUND",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


# Narration: a guide whose test site has its narration built (espeak-ng) in Vietnamese and
# English, once per session, for the API and browser tests.
@dataclass(frozen=True)
class NarratedGuide:
    database_url: str
    audio_dir: Path
    site_key: str


@pytest.fixture(scope="session")
def narrated_guide(tmp_path_factory: pytest.TempPathFactory) -> NarratedGuide:
    root = tmp_path_factory.mktemp("narrated")
    guide = NarratedGuide(f"sqlite:///{root / 'guide.db'}", root / "audio", "test-tower")
    engine = make_engine(guide.database_url)
    upgrade(engine)
    store = SiteStore(Database(engine))
    store.load([make_site(guide.site_key)])
    narration = Narration(
        SiteStore(Database(engine)), guide.audio_dir, Voices([EspeakNg()]), IdentityTranslator()
    )
    report = narration.build([guide.site_key], ["vi", "en"], engine="espeak")
    assert report.count(Outcome.BUILT) == 2, report.failures
    engine.dispose()
    return guide
