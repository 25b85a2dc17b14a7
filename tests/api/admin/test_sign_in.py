"""Signing in and out: cookies, wrong passwords, rate limits, ended and expired sessions."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.staff.accounts import StaffAccounts
from api.staff.audit import AuditLog
from sites_data.db import Database
from tests.api.admin.factories import PASSWORDS, StaffClient, make_staff

WINDOW_S = 15 * 60


def _login(client: TestClient, username: str, password: str) -> int:
    response = client.post("/api/admin/login", json={"username": username, "password": password})
    return response.status_code


def _audit_actions(settings: Settings) -> list[tuple[str, str]]:
    entries = AuditLog(Database.open(settings.database_url)).entries()
    return [(entry.actor, entry.action.value) for entry in reversed(entries)]


def test_the_session_cookie_is_http_only_and_same_site(anonymous: TestClient) -> None:
    response = anonymous.post(
        "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "editor" and len(response.json()["csrf_token"]) >= 32
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("guide_staff=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie


def test_the_cookie_is_secure_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://guide.example") as client:
        response = client.post(
            "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
        )
    assert "Secure" in response.headers["set-cookie"]


def test_the_cookie_is_secure_behind_a_tls_proxy(settings: Settings) -> None:
    make_staff(settings.database_url)
    app = create_app(settings.model_copy(update={"behind_https": True}))
    with TestClient(app) as client:
        response = client.post(
            "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
        )
    assert "Secure" in response.headers["set-cookie"]


def test_there_is_no_default_account(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        for username, password in [("admin", "admin"), ("admin", "password"), ("root", "")]:
            assert _login(client, username, password or "x") == 401
    assert StaffAccounts(Database.open(settings.database_url)).accounts() == []


def test_a_wrong_password_or_username_gets_the_same_answer_and_is_logged(
    anonymous: TestClient, settings: Settings
) -> None:
    wrong_password = anonymous.post(
        "/api/admin/login", json={"username": "eva", "password": "guess"}
    )
    no_such_user = anonymous.post(
        "/api/admin/login", json={"username": "mallory", "password": "guess"}
    )
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert wrong_password.json() == no_such_user.json() == {"detail": "Wrong username or password."}
    assert "set-cookie" not in wrong_password.headers
    assert _audit_actions(settings) == [("eva", "login_failed"), ("mallory", "login_failed")]


def test_failed_logins_are_limited_per_account(anonymous: TestClient, settings: Settings) -> None:
    for _ in range(5):
        assert _login(anonymous, "eva", "wrong password") == 401
    # Even the right password is not checked now.
    response = anonymous.post(
        "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
    )
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= WINDOW_S
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert _audit_actions(settings)[-1] == ("eva", "login_blocked")
    # Another account from the same address may still sign in.
    assert _login(anonymous, "adam", PASSWORDS["adam"]) == 200


def test_failed_logins_are_limited_per_address(anonymous: TestClient) -> None:
    for number in range(30):
        assert _login(anonymous, f"guess{number}", "wrong password") == 401
    response = anonymous.post(
        "/api/admin/login", json={"username": "adam", "password": PASSWORDS["adam"]}
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_a_successful_login_clears_the_accounts_failures(anonymous: TestClient) -> None:
    for _ in range(4):
        assert _login(anonymous, "eva", "wrong password") == 401
    assert _login(anonymous, "eva", PASSWORDS["eva"]) == 200
    for _ in range(4):
        assert _login(anonymous, "eva", "wrong password") == 401
    assert _login(anonymous, "eva", PASSWORDS["eva"]) == 200


def test_the_limit_holds_across_processes(settings: Settings, anonymous: TestClient) -> None:
    for _ in range(5):
        assert _login(anonymous, "eva", "wrong password") == 401
    with TestClient(create_app(settings)) as other_process:
        assert _login(other_process, "eva", PASSWORDS["eva"]) == 429


def test_signing_out_ends_the_session(editor: StaffClient, settings: Settings) -> None:
    client = editor.client
    cookie = client.cookies["guide_staff"]
    response = client.post("/api/admin/logout", headers={"X-CSRF-Token": editor.csrf})
    assert response.status_code == 204
    client.cookies.set("guide_staff", cookie)  # a copy of the old cookie is worthless now
    assert client.get("/api/admin/me").status_code == 401
    assert ("eva", "logout") in _audit_actions(settings)


def test_a_switched_off_account_loses_its_session(editor: StaffClient, admin: StaffClient) -> None:
    assert editor.client.get("/api/admin/me").status_code == 200
    response = admin.client.patch(
        "/api/admin/staff/eva", json={"active": False}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert editor.client.get("/api/admin/me").status_code == 401
    assert _login(editor.client, "eva", PASSWORDS["eva"]) == 401
    # Switched on again, the account signs in afresh: the session it had stays ended.
    response = admin.client.patch(
        "/api/admin/staff/eva", json={"active": True}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 200 and response.json()["active"] is True
    assert editor.client.get("/api/admin/me").status_code == 401


def test_an_expired_session_is_refused(settings: Settings) -> None:
    make_staff(settings.database_url)
    app = create_app(settings.model_copy(update={"staff_session_hours": 1e-9}))
    with TestClient(app) as client:
        assert _login(client, "eva", PASSWORDS["eva"]) == 200
        assert client.get("/api/admin/me").status_code == 401


def test_a_sign_in_from_another_site_is_refused(anonymous: TestClient) -> None:
    response = anonymous.post(
        "/api/admin/login",
        json={"username": "eva", "password": PASSWORDS["eva"]},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_the_last_admin_cannot_be_switched_off(admin: StaffClient) -> None:
    response = admin.client.patch(
        "/api/admin/staff/adam", json={"role": "editor"}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 409
    assert "no active admin" in response.json()["detail"]
    assert admin.client.get("/api/admin/staff").status_code == 200


@pytest.mark.parametrize(
    ("username", "password", "field", "reason"),
    [
        ("Eva Nguyen", "long enough password", "username", "is not allowed"),
        ("new.editor", "short", "password", "use at least 12"),
        ("new.editor", " long enough password", "password", "starts or ends with a space"),
    ],
)
def test_accounts_are_refused_with_the_reason(
    admin: StaffClient, username: str, password: str, field: str, reason: str
) -> None:
    response = admin.client.post(
        "/api/admin/staff",
        json={"username": username, "password": password, "role": "editor"},
        headers={"X-CSRF-Token": admin.csrf},
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", field]
    assert problem["msg"].startswith(f"{field}: The {field} ") and reason in problem["msg"]


def test_a_taken_username_is_a_conflict(admin: StaffClient) -> None:
    response = admin.client.post(
        "/api/admin/staff",
        json={"username": "eva", "password": "long enough password", "role": "editor"},
        headers={"X-CSRF-Token": admin.csrf},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "An account called eva already exists."}


def test_the_sign_in_page(anonymous: TestClient) -> None:
    page = anonymous.get("/admin/login?next=/admin/reports&ui=en")
    assert page.status_code == 200 and 'name="password" type="password"' in page.text
    wrong = anonymous.post(
        "/admin/login", data={"username": "eva", "password": "nope", "next": "/admin/reports"}
    )
    assert wrong.status_code == 401 and "Wrong username or password." in wrong.text
    right = anonymous.post(
        "/admin/login",
        data={"username": "eva", "password": PASSWORDS["eva"], "next": "/admin/reports"},
    )
    assert right.status_code == 303 and right.headers["location"] == "/admin/reports"
    assert anonymous.get("/admin/reports").status_code == 200


def test_the_sign_in_page_never_sends_staff_elsewhere(anonymous: TestClient) -> None:
    response = anonymous.post(
        "/admin/login",
        data={"username": "eva", "password": PASSWORDS["eva"], "next": "https://evil.example/"},
    )
    assert response.headers["location"] == "/admin"


def test_the_sign_in_page_says_when_to_try_again(anonymous: TestClient) -> None:
    for _ in range(5):
        anonymous.post("/admin/login", data={"username": "eva", "password": "nope"})
    response = anonymous.post("/admin/login", data={"username": "eva", "password": "nope"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Đăng nhập sai quá nhiều lần; hãy thử lại sau" in response.text
    english = anonymous.post("/admin/login?ui=en", data={"username": "eva", "password": "nope"})
    assert "Too many failed sign-ins; try again in" in english.text
