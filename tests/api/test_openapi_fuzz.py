"""The guide's OpenAPI schema against the guide itself, with schemathesis.

Schemathesis sends requests built from the schema, valid and invalid ones, to every
operation, once anonymously and once with an admin's session, and checks each answer:
no server error, a documented status code, content type and headers, a body matching the
documented model, invalid input refused and valid input accepted. The run is
deterministic (a fixed seed) and small, so that it is a test of every build.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from api.settings import Settings
from api.staff.auth import CSRF_HEADER, SESSION_COOKIE
from sites_data.db import Database, make_engine, upgrade
from sites_data.store import SiteStore
from tests.api.admin.factories import make_staff
from tests.factories import make_site
from tests.fake_rasa import fake_rasa

# Schema-valid requests may also be refused with 428: a change without If-Match (optional in
# the schema, as 428 is the answer that says what to send), besides schemathesis' defaults.
POSITIVE_ANSWERS = ["2xx", "3xx", "401", "403", "404", "409", "428", "429"]
ADMIN = {
    "seed": 20260101,
    "generation": {"mode": "all", "max-examples": 5, "deterministic": True},
    # Sequences of calls (the stateful phase) are for a longer run than every build's.
    "phases": {"stateful": {"enabled": False}},
    "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_ANSWERS}},
    "operations": [
        {
            # A site document has rules across fields that JSON Schema cannot state (a
            # narration's length per language, texts a person must write), so documents
            # generated from the schema are refused with 422 naming the rule. Every
            # other check runs on this operation.
            "include-method": "PUT",
            "include-path": "/api/admin/sites/{key}",
            "checks": {"positive_data_acceptance": {"enabled": False}},
        },
        {
            # How easy a password is to guess (zxcvbn: common and leaked passwords, repeats,
            # the username) is no JSON Schema rule either: a generated "aaaaaaaaaaaa" is
            # refused with 422 naming the password. Every other check runs here.
            "include-method": "POST",
            "include-path": "/api/admin/staff",
            "checks": {"positive_data_acceptance": {"enabled": False}},
        },
    ],
}
# Without a session the staff routes only refuse (401): random requests show it, while the
# boundary values of the coverage phase are for the admin's run, which reaches every route.
ANONYMOUS = {**ADMIN, "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": False}}}


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The guide on a real SQLite database with one site, an editor and an admin."""
    root: Path = tmp_path_factory.mktemp("openapi")
    url = f"sqlite:///{root / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load([make_site()])
    engine.dispose()
    make_staff(url)
    with fake_rasa() as rasa:
        settings = Settings(
            database_url=url, rasa_url=rasa.url, chat_timeout_s=5.0, audio_dir=str(root / "audio")
        )
        app = create_app(settings)
        with TestClient(app):
            yield app


def _schema(guide: FastAPI, config: dict[str, object]) -> schemathesis.BaseSchema:
    loaded = schemathesis.Config.from_dict(config)
    return schemathesis.openapi.from_asgi("/openapi.json", guide, config=loaded)


@pytest.fixture(scope="module")
def anonymous_schema(guide: FastAPI) -> schemathesis.BaseSchema:
    return _schema(guide, ANONYMOUS)


@pytest.fixture(scope="module")
def admin_schema(guide: FastAPI) -> schemathesis.BaseSchema:
    return _schema(guide, ADMIN)


@schemathesis.pytest.from_fixture("anonymous_schema").parametrize()
def test_anonymous(case: schemathesis.Case) -> None:
    case.call_and_validate()


@schemathesis.pytest.from_fixture("admin_schema").parametrize()
def test_admin(case: schemathesis.Case, guide: FastAPI) -> None:
    # A session of its own for each request: a generated request may sign out.
    services: Services = guide.state.services
    opened = services.sessions.open(services.accounts.get("adam"))
    case.call_and_validate(
        headers={CSRF_HEADER: opened.staff.csrf_token},
        cookies={SESSION_COOKIE: opened.token},
    )
