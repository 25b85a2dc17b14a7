"""The staff side on a real SQLite database with three sites, an editor and an admin."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.admin.factories import StaffClient, make_staff, sign_in


@pytest.fixture
def settings(database_file: str, tmp_path: Path) -> Settings:
    # The staff side never talks to the assistant: nothing listens on the discard port.
    return Settings(
        database_url=database_file,
        rasa_url="http://127.0.0.1:9",
        chat_timeout_s=1.0,
        audio_dir=str(tmp_path / "audio"),
        photo_dir=str(tmp_path / "photos"),
        photo_max_mb=2.0,  # small enough that the test of the limit sends little
        job_attempts=1,  # a failure is final at once, as the pages then show it
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    make_staff(settings.database_url)
    return create_app(settings)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Callable[[str], StaffClient]]:
    """``signed_in("eva")``: a client with eva's session cookie and CSRF token."""
    clients: list[TestClient] = []

    def make(username: str) -> StaffClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return sign_in(client, username)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def editor(signed_in: Callable[[str], StaffClient]) -> StaffClient:
    return signed_in("eva")


@pytest.fixture
def admin(signed_in: Callable[[str], StaffClient]) -> StaffClient:
    return signed_in("adam")
