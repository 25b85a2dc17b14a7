"""Staff accounts, signed-in clients and real recordings for the staff tests."""

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.staff.accounts import Role
from api.staff.tables import StaffRow
from sites_data.db import make_engine, utcnow

PASSWORDS = {"eva": "eva-edits-sites-2026", "adam": "adam-runs-the-guide-2026"}
ROLES = {"eva": Role.EDITOR, "adam": Role.ADMIN}


@cache
def _password_hash(password: str) -> str:
    """Real argon2id hashes, made once per test run (each costs a tenth of a second)."""
    return PasswordHasher().hash(password)


def make_staff(database_url: str) -> None:
    """An editor (eva) and an admin (adam), unless the database has them already (a session's
    shared database, signed into by several test modules)."""
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        present = set(session.scalars(select(StaffRow.username)))
        for username, password in PASSWORDS.items():
            if username in present:
                continue
            session.add(
                StaffRow(
                    username=username,
                    role=ROLES[username].value,
                    password_hash=_password_hash(password),
                    active=True,
                    created_at=utcnow(),
                    created_by="tests",
                )
            )
    engine.dispose()


@dataclass
class StaffClient:
    client: TestClient
    csrf: str


def sign_in(client: TestClient, username: str) -> StaffClient:
    response = client.post(
        "/api/admin/login", json={"username": username, "password": PASSWORDS[username]}
    )
    assert response.status_code == 200, response.text
    return StaffClient(client, response.json()["csrf_token"])


def tone_file(folder: Path, name: str, seconds: float, *codec: str, source: str = "sine") -> Path:
    """A real recording made by ffmpeg: a 440 Hz tone (or silence, with ``anullsrc``)."""
    path = folder / name
    sound = (
        f"sine=frequency=440:duration={seconds}"
        if source == "sine"
        else f"anullsrc=sample_rate=44100:channel_layout=mono:duration={seconds}"
    )
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", sound, "-ac", "1", *codec, str(path)],
        check=True,
    )  # fmt: skip
    return path
