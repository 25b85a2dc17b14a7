"""Staff passwords: common, leaked and guessable ones are refused with the reason and what
to do, and one maximum length holds for creating, setting and signing in."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.staff.accounts import PASSWORD_MAX_LENGTH, AccountError, StaffAccounts
from sites_data.db import Database
from tests.api.admin.factories import StaffClient

# Random letters repeated: no word in it, so only the length matters.
LONGEST = ("qz7Wk-Fh3pLx9mVb" * 10)[:PASSWORD_MAX_LENGTH]


def _create(admin: StaffClient, username: str, password: str) -> Any:
    return admin.client.post(
        "/api/admin/staff",
        json={"username": username, "password": password, "role": "editor"},
        headers={"X-CSRF-Token": admin.csrf},
    )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password1234", "This is a very common password."),
        ("qwertyuiop123", "This is a very common password."),
        ("iloveyou2026", "similar to a commonly used password"),
        ("aaaaaaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
        ("new.editor2026", "common words or patterns"),  # the account's own name
        ("quynhon123456", "common words or patterns"),  # the guide's own words
    ],
)
def test_an_easily_guessed_password_is_refused_with_what_to_do(
    admin: StaffClient, password: str, why: str
) -> None:
    response = _create(admin, "new.editor", password)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "password"]
    assert problem["msg"].startswith("password: This password is too easy to guess")
    assert why in problem["msg"]
    assert "Choose another, for example four or five words" in problem["msg"]


def test_setting_a_password_refuses_a_leaked_one(settings: Settings, admin: StaffClient) -> None:
    accounts = StaffAccounts(Database.open(settings.database_url))
    with pytest.raises(AccountError, match="too easy to guess"):
        accounts.set_password("eva", "iloveyou1234")


def test_the_longest_password_can_be_made_and_used(
    admin: StaffClient, anonymous: TestClient
) -> None:
    assert _create(admin, "new.editor", LONGEST).status_code == 201
    login = {"username": "new.editor", "password": LONGEST}
    assert anonymous.post("/api/admin/login", json=login).status_code == 200
    assert anonymous.post("/admin/login", data=login).status_code == 303


def test_one_character_more_is_refused_everywhere(
    settings: Settings, admin: StaffClient, anonymous: TestClient
) -> None:
    too_long = LONGEST + "x"
    response = _create(admin, "new.editor", too_long)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert f"use at most {PASSWORD_MAX_LENGTH}" in problem["msg"]
    with pytest.raises(AccountError, match=f"use at most {PASSWORD_MAX_LENGTH}"):
        StaffAccounts(Database.open(settings.database_url)).set_password("eva", too_long)
    login = {"username": "eva", "password": too_long}
    assert anonymous.post("/api/admin/login", json=login).status_code == 422
    assert anonymous.post("/admin/login", data=login).status_code == 422


def test_the_staff_page_tells_the_browser_the_lengths(admin: StaffClient) -> None:
    page = admin.client.get("/admin/staff").text
    assert f'minlength="12" maxlength="{PASSWORD_MAX_LENGTH}"' in page
