"""X-Forwarded-For names the visitor only when a trusted proxy sends it: a forged header
cannot move an attacker to a fresh address under the per-address sign-in limit."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from api.settings import Settings
from api.staff.audit import AuditLog
from api.staff.limits import LoginLimits
from sites_data.db import Database
from tests.api.admin.factories import PASSWORDS, make_staff

REPO_ROOT = Path(__file__).parents[3]
FORGED = "203.0.113.9"


def _last_sign_in_address(settings: Settings) -> str | None:
    return AuditLog(Database.open(settings.database_url)).entries()[0].address


def _wrong_login(client: TestClient | httpx.Client, forwarded_for: str) -> int:
    response = client.post(
        "/api/admin/login",
        json={"username": "eva", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


def test_a_forged_forwarded_address_does_not_escape_the_address_limit(
    settings: Settings,
) -> None:
    make_staff(settings.database_url)
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as client:
        for number in range(LoginLimits().per_address):
            response = client.post(
                "/api/admin/login",
                json={"username": f"guess{number}", "password": "wrong password"},
                headers={"X-Forwarded-For": f"198.51.100.{number}"},
            )
            assert response.status_code == 401
        assert _last_sign_in_address(settings) == "127.0.0.1"
        response = client.post(
            "/api/admin/login",
            json={"username": "adam", "password": PASSWORDS["adam"]},
            headers={"X-Forwarded-For": FORGED},
        )
        assert response.status_code == 429


def test_a_trusted_proxy_names_the_visitor(settings: Settings) -> None:
    make_staff(settings.database_url)
    behind_proxy = settings.model_copy(update={"trusted_proxies": "10.0.0.0/8, 127.0.0.1"})
    with TestClient(create_app(behind_proxy), client=("127.0.0.1", 50000)) as client:
        assert _wrong_login(client, f"{FORGED}, 127.0.0.1") == 401
    assert _last_sign_in_address(settings) == FORGED


def test_a_peer_that_is_not_a_listed_proxy_is_not_believed(settings: Settings) -> None:
    make_staff(settings.database_url)
    other_proxy = settings.model_copy(update={"trusted_proxies": "10.0.0.0/8"})
    with TestClient(create_app(other_proxy), client=("192.0.2.4", 50000)) as client:
        assert _wrong_login(client, FORGED) == 401
    assert _last_sign_in_address(settings) == "192.0.2.4"


def test_a_mistyped_proxy_is_refused_with_the_reason() -> None:
    with pytest.raises(
        ValidationError, match=re.escape("'10.0.0.300' is not an IP address or network")
    ):
        Settings(trusted_proxies="127.0.0.1,10.0.0.300")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_guide_serve_ignores_forwarded_headers_from_a_local_client(settings: Settings) -> None:
    """uvicorn on its own believes X-Forwarded-For from 127.0.0.1; `guide serve` must not."""
    make_staff(settings.database_url)
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "GUIDE_AUDIO_DIR": settings.audio_dir,
    }
    environment.pop("GUIDE_TRUSTED_PROXIES", None)
    server = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import app; app()", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "guide serve did not start within 60 s"
                    assert server.poll() is None, "guide serve stopped"
                    time.sleep(0.2)
            assert _wrong_login(client, FORGED) == 401
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert _last_sign_in_address(settings) == "127.0.0.1"
