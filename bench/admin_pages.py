"""How fast the staff side answers, on the shipped sites in a SQLite file (in-process client).

    .venv/bin/python -m bench.admin_pages [--rounds 20]

Prints the median and the slowest time of: signing in (argon2id), the site list, one
site's form, saving a site through the JSON API, and the revisions page.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from api.settings import Settings
from api.staff.tables import StaffRow
from sites_data.db import Database, make_engine, upgrade, utcnow
from sites_data.files import read_site_files
from sites_data.store import SiteStore

PASSWORD = "a benchmark password"


def _database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    with Session(engine) as session, session.begin():
        session.add(
            StaffRow(
                username="bench",
                role="admin",
                password_hash=PasswordHasher().hash(PASSWORD),
                active=True,
                created_at=utcnow(),
                created_by="bench",
            )
        )
    return url


def _time(rounds: int, action: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(database_url=_database(Path(folder))))
        with TestClient(app) as client:
            login = {"username": "bench", "password": PASSWORD}

            def sign_in() -> str:
                response = client.post("/api/admin/login", json=login)
                assert response.status_code == 200
                return str(response.json()["csrf_token"])

            print(f"{'what':<36} {'median ms':>10} {'slowest ms':>11}  ({rounds} rounds)")
            median, slowest = _time(rounds, sign_in)
            print(f"{'sign in (argon2id)':<36} {median:>10.1f} {slowest:>11.1f}")
            csrf = sign_in()  # the session the other measurements use

            def get(path: str) -> Callable[[], object]:
                def fetch() -> None:
                    assert client.get(path).status_code == 200

                return fetch

            def save() -> None:
                current = client.get("/api/admin/sites/thap-doi")
                document = current.json()["site"]
                document["notes"] = [*document.get("notes", []), "bench"][-3:]
                response = client.put(
                    "/api/admin/sites/thap-doi",
                    json=document,
                    headers={"If-Match": current.headers["ETag"], "X-CSRF-Token": csrf},
                )
                assert response.status_code == 200

            measured = {
                "site list /admin": get("/admin"),
                "site form /admin/sites/thap-doi": get("/admin/sites/thap-doi?lang=en"),
                "save through PUT (with its GET)": save,
                "revisions page": get("/admin/sites/thap-doi/revisions"),
            }
            for name, action in measured.items():
                median, slowest = _time(rounds, action)
                print(f"{name:<36} {median:>10.1f} {slowest:>11.1f}")


if __name__ == "__main__":
    main()
