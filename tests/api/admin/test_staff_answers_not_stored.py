"""Every answer of the staff API says Cache-Control: no-store, refusals and the sign-in
(which carries the session cookie and the CSRF token) included."""

import pytest
from fastapi.testclient import TestClient

from tests.api.admin.factories import PASSWORDS, StaffClient


def test_the_sign_in_answer_is_never_stored(anonymous: TestClient) -> None:
    response = anonymous.post(
        "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
    )
    assert response.status_code == 200 and "csrf_token" in response.json()
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/api/admin/login", {"username": "eva", "password": "wrong"}, 401),
        ("POST", "/api/admin/login", {"username": "eva"}, 422),
        ("GET", "/api/admin/no-such-route", None, 404),
        ("OPTIONS", "/api/admin/login", None, 405),
        ("POST", "/api/admin/logout", None, 401),
    ],
)
def test_refusals_are_never_stored(
    anonymous: TestClient, method: str, path: str, body: dict[str, str] | None, status: int
) -> None:
    response = anonymous.request(method, path, json=body)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"


def test_a_change_is_never_stored(editor: StaffClient) -> None:
    response = editor.client.post("/api/admin/logout", headers={"X-CSRF-Token": editor.csrf})
    assert response.status_code == 204
    assert response.headers["Cache-Control"] == "no-store"
