"""Many sign-ins sent at the same moment, to one or to two servers sharing the database:
the limits still let only so many passwords be checked."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.staff.audit import AuditLog
from api.staff.limits import LoginLimits
from sites_data.db import Database
from tests.api.admin.factories import PASSWORDS

AT_ONCE = 30


def _checked_passwords(settings: Settings) -> Counter[str]:
    """Each password check leaves a ``login`` or ``login_failed`` entry; refusals leave
    ``login_blocked``."""
    entries = AuditLog(Database.open(settings.database_url)).entries()
    return Counter(entry.action.value for entry in entries)


def _send_at_once(apps: list[FastAPI], logins: list[dict[str, str]]) -> Counter[int]:
    with ExitStack() as stack:
        clients = [stack.enter_context(TestClient(app)) for app in apps]
        with ThreadPoolExecutor(max_workers=len(logins)) as pool:
            answers = pool.map(
                lambda numbered: (
                    clients[numbered[0] % len(clients)]
                    .post("/api/admin/login", json=numbered[1])
                    .status_code
                ),
                enumerate(logins),
            )
            return Counter(answers)


def test_wrong_passwords_at_once_get_at_most_the_limit_of_checks(
    app: FastAPI, settings: Settings
) -> None:
    other_server = create_app(settings)
    wrong = [{"username": "eva", "password": f"guess number {n}"} for n in range(AT_ONCE)]
    answers = _send_at_once([app, other_server], wrong)
    checks = _checked_passwords(settings)
    assert checks["login_failed"] <= LoginLimits().per_account
    assert answers[401] == checks["login_failed"]
    assert answers[429] == AT_ONCE - checks["login_failed"] == checks["login_blocked"]


def test_wrong_passwords_from_one_address_at_once_get_at_most_its_limit(
    app: FastAPI, settings: Settings
) -> None:
    limit = LoginLimits().per_address
    wrong = [{"username": f"guess{n}", "password": "wrong password"} for n in range(limit + 20)]
    answers = _send_at_once([app], wrong)
    assert _checked_passwords(settings)["login_failed"] <= limit
    assert answers[401] + answers[429] == len(wrong)


def test_the_right_password_still_signs_in_after_failures_sent_at_once(
    app: FastAPI, settings: Settings
) -> None:
    wrong = [{"username": "eva", "password": "wrong password"}] * 3
    answers = _send_at_once([app], wrong)
    assert answers == Counter({401: 3})
    right = _send_at_once([app], [{"username": "eva", "password": PASSWORDS["eva"]}])
    assert right == Counter({200: 1})
