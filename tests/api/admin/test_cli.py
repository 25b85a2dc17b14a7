"""``guide staff create`` and ``guide staff list``: the first admin is made on the command line."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as guide
from api.settings import Settings, get_settings
from api.staff.accounts import Role, StaffAccounts
from sites_data.db import Database


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _create(username: str, role: str, password_input: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        guide, ["staff", "create", "--username", username, "--role", role], input=password_input
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("environment")
def test_create_an_admin_with_the_password_on_stdin(settings: Settings) -> None:
    code, out, _ = _create("linh", "admin", "a long admin password\n")
    assert code == 0, out
    assert out.strip() == "Created admin 'linh'."
    account = StaffAccounts(Database.open(settings.database_url)).get("linh")
    assert account.role == Role.ADMIN and account.active and account.created_by == "command line"
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/admin/login", json={"username": "linh", "password": "a long admin password"}
        )
        assert response.status_code == 200
        assert client.get("/api/admin/staff").status_code == 200


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize(
    ("username", "role", "password", "reason"),
    [
        ("linh", "admin", "short\n", "use at least 12"),
        ("Linh Tran", "editor", "a long editor password\n", "is not allowed"),
    ],
)
def test_create_refuses_with_the_reason(
    username: str, role: str, password: str, reason: str
) -> None:
    code, _, err = _create(username, role, password)
    assert code == 1
    assert err.startswith("Not created: ") and reason in err


@pytest.mark.usefixtures("environment")
def test_a_role_must_be_editor_or_admin() -> None:
    code, _, err = _create("linh", "owner", "a long admin password\n")
    assert code == 2 and "'owner' is not one of" in err


@pytest.mark.usefixtures("environment")
def test_list_shows_every_account() -> None:
    assert _create("linh", "admin", "a long admin password\n")[0] == 0
    assert _create("binh", "editor", "a long editor password\n")[0] == 0
    result = CliRunner().invoke(guide, ["staff", "list"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["binh\teditor\tactive", "linh\tadmin\tactive"]


def test_an_empty_database_is_refused_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    get_settings.cache_clear()
    code, _, err = _create("linh", "admin", "a long admin password\n")
    get_settings.cache_clear()
    assert code == 1 and "run `guide sites load`" in err


@pytest.mark.usefixtures("environment")
def test_a_new_password_ends_the_accounts_sessions(settings: Settings) -> None:
    assert _create("linh", "admin", "the first long password\n")[0] == 0
    with TestClient(create_app(settings)) as client:
        login = {"username": "linh", "password": "the first long password"}
        assert client.post("/api/admin/login", json=login).status_code == 200
        result = CliRunner().invoke(
            guide, ["staff", "password", "--username", "linh"], input="the second long password\n"
        )
        assert result.exit_code == 0, result.output
        assert client.get("/api/admin/me").status_code == 401
        assert client.post("/api/admin/login", json=login).status_code == 401
        login["password"] = "the second long password"
        assert client.post("/api/admin/login", json=login).status_code == 200
    unknown = CliRunner().invoke(
        guide, ["staff", "password", "--username", "nobody"], input="a long enough password\n"
    )
    assert unknown.exit_code == 1 and "no staff account is called 'nobody'" in unknown.stderr
