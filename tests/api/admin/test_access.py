"""Every staff route for every role: anonymous, editor, admin; and the CSRF check on each change."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from sites_data.activity import ActivityLog, Unanswered
from sites_data.db import Database
from tests.api.admin.factories import StaffClient

STAFF, ADMIN = "staff", "admin"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: str  # STAFF: editors and admins; ADMIN: admins only
    ok: int  # the status an allowed role gets
    json: Any = None
    form: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)

    @property
    def is_page(self) -> bool:
        return not self.path.startswith("/api/")

    @property
    def changes_state(self) -> bool:
        return self.method not in ("GET", "HEAD")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


FIRST = {"If-Match": '"1"'}
NOT_AUDIO = {"recording": ("narration.mp3", b"Just the script, not a recording.", "audio/mpeg")}
ROUTES = [
    Route("GET", "/api/admin/me", STAFF, 200),
    Route("GET", "/api/admin/sites", STAFF, 200),
    Route("GET", "/api/admin/sites/test-tower", STAFF, 200),
    Route("PUT", "/api/admin/sites/test-tower", STAFF, 200, json="CURRENT", headers=FIRST),
    Route("GET", "/api/admin/sites/test-tower/revisions", STAFF, 200),
    Route("POST", "/api/admin/sites/test-tower/archive", STAFF, 200, headers=FIRST),
    Route("POST", "/api/admin/sites/test-tower/unarchive", STAFF, 409, headers=FIRST),
    Route(
        "POST", "/api/admin/sites/test-tower/restore", STAFF, 200, {"revision": 1}, headers=FIRST
    ),
    Route(
        "POST",
        "/api/admin/sites/test-museum/reviewed",
        STAFF,
        200,
        {"field": "description", "lang": "fr"},
        headers=FIRST,
    ),
    Route("GET", "/api/admin/sites/test-tower/jobs", STAFF, 200),
    Route("POST", "/api/admin/sites/test-tower/recordings/en", STAFF, 415, files=NOT_AUDIO),
    Route("POST", "/api/admin/sites/test-tower/translate", STAFF, 202),
    Route("GET", "/api/admin/sites/test-tower/audio", STAFF, 200),
    Route("GET", "/api/admin/reports/unanswered", STAFF, 200),
    Route("POST", "/api/admin/reports/unanswered/handled", STAFF, 200, {"ids": [1]}),
    Route("GET", "/api/admin/reports/plays", STAFF, 200),
    Route("GET", "/api/admin/reports/conversations", STAFF, 200),
    Route("POST", "/api/admin/logout", STAFF, 204),
    Route("GET", "/api/admin/staff", ADMIN, 200),
    Route(
        "POST",
        "/api/admin/staff",
        ADMIN,
        201,
        {"username": "new.editor", "password": "a long enough secret", "role": "editor"},
    ),
    Route("PATCH", "/api/admin/staff/eva", ADMIN, 200, {"role": "editor", "active": True}),
    Route("GET", "/api/admin/audit", ADMIN, 200),
    Route("GET", "/admin", STAFF, 200),
    Route("GET", "/admin/sites/test-tower", STAFF, 200),
    Route("GET", "/admin/sites/test-tower/revisions", STAFF, 200),
    Route("POST", "/admin/sites/test-tower/save", STAFF, 422, form={"based_on": "1"}),
    Route("POST", "/admin/sites/test-tower/preview", STAFF, 422, form={"based_on": "1"}),
    Route("POST", "/admin/sites/test-tower/archive", STAFF, 303, form={"based_on": "1"}),
    Route("POST", "/admin/sites/test-tower/unarchive", STAFF, 409, form={"based_on": "1"}),
    Route(
        "POST", "/admin/sites/test-tower/restore", STAFF, 303, form={"based_on": "1", "number": "1"}
    ),
    Route(
        "POST",
        "/admin/sites/test-museum/reviewed",
        STAFF,
        303,
        form={"based_on": "1", "field": "description", "lang": "fr"},
    ),
    Route("POST", "/admin/sites/test-tower/recordings?lang=en", STAFF, 415, files=NOT_AUDIO),
    Route("POST", "/admin/sites/test-tower/translate?lang=en", STAFF, 200),
    Route("GET", "/admin/reports", STAFF, 200),
    Route("POST", "/admin/reports/handled", STAFF, 303, form={"question": "1"}),
    Route("POST", "/admin/logout", STAFF, 303),
    Route("GET", "/admin/staff", ADMIN, 200),
    Route(
        "POST",
        "/admin/staff",
        ADMIN,
        303,
        form={"username": "new.editor", "password": "a long enough secret", "role": "editor"},
    ),
    Route("POST", "/admin/staff/eva", ADMIN, 303, form={"role": "editor", "active": "true"}),
    Route("GET", "/admin/audit", ADMIN, 200),
]


@pytest.fixture(autouse=True)
def one_unanswered_question(database_file: str) -> None:
    ActivityLog(Database.open(database_file)).record_unanswered(
        "Is there a night tour?", "en", Unanswered.FALLBACK, "visitor-1"
    )


def _send(client: TestClient, route: Route, csrf: str | None) -> Response:
    headers = dict(route.headers)
    form = dict(route.form)
    json = route.json
    if json == "CURRENT":
        json = client.get(route.path).json().get("site", {"key": "test-tower"})
    if csrf is not None and route.changes_state:
        if route.is_page:
            form["csrf_token"] = csrf
        else:
            headers["X-CSRF-Token"] = csrf
    if route.files:
        return client.request(
            route.method, route.path, data=form, files=route.files, headers=headers
        )
    if route.is_page and route.changes_state:
        return client.request(route.method, route.path, data=form, headers=headers)
    return client.request(route.method, route.path, json=json, headers=headers)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_visitors_are_refused(anonymous: TestClient, route: Route) -> None:
    response = _send(anonymous, route, None)
    if route.is_page:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/admin/login?next=/admin")
    else:
        assert response.status_code == 401
        assert response.json() == {"detail": "Sign in first (staff only)."}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_editors_may_edit_but_not_manage_staff(editor: StaffClient, route: Route) -> None:
    response = _send(editor.client, route, editor.csrf)
    if route.allowed == ADMIN:
        assert response.status_code == 403, response.text
        # The pages speak the staff member's language (Vietnamese unless chosen), the API English.
        expected = (
            "Chỉ quản trị viên mới làm được" if route.is_page else "Only an admin may do this"
        )
        assert expected in response.text
    else:
        assert response.status_code == route.ok, response.text


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_admins_may_do_everything(admin: StaffClient, route: Route) -> None:
    response = _send(admin.client, route, admin.csrf)
    assert response.status_code == route.ok, response.text


CHANGES = [route for route in ROUTES if route.changes_state]


@pytest.mark.parametrize("route", CHANGES, ids=str)
@pytest.mark.parametrize("token", [None, "forged-token"], ids=["missing", "invalid"])
def test_a_change_without_the_sessions_csrf_token_is_refused(
    admin: StaffClient, route: Route, token: str | None
) -> None:
    response = _send(admin.client, route, token)
    assert response.status_code == 403, response.text
    assert "CSRF check failed" in response.text or "kiểm tra CSRF không đạt" in response.text
    # The session still works: nothing was signed out or changed by the refused request.
    assert admin.client.get("/api/admin/me").status_code == 200
