"""Every setting is documented in the README, and every verb has --help."""

from pathlib import Path

import pytest
import typer
from pydantic import ValidationError
from typer.main import get_command
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings, environment_name

README = Path(__file__).parents[2] / "README.md"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default(field: str) -> None:
    default = Settings.model_fields[field].default
    rows = [
        line
        for line in README.read_text("utf-8").splitlines()
        if line.startswith(f"| `{environment_name(field)}` ")
    ]
    assert rows, f"README.md has no row for {environment_name(field)}"
    assert f"`{default}`" in rows[0]


def _verbs(group: typer.Typer) -> list[list[str]]:
    command = get_command(group)
    found: list[list[str]] = [[]]

    def walk(node: object, path: list[str]) -> None:
        for name, child in getattr(node, "commands", {}).items():
            found.append([*path, name])
            walk(child, [*path, name])

    walk(command, [])
    return found


@pytest.mark.parametrize("verb", _verbs(app), ids=lambda verb: " ".join(verb) or "guide")
def test_every_verb_has_help(verb: list[str]) -> None:
    result = CliRunner().invoke(app, [*verb, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_serve_refuses_an_empty_database_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "run `guide sites load`" in result.stderr


@pytest.mark.parametrize(
    "url", ["sqlite:///var/conversations.db", "postgresql://guide:secret@db-host:5432/guide"]
)
def test_the_conversations_go_to_sqlite_or_postgresql(url: str) -> None:
    assert Settings(rasa_tracker_url=url).rasa_tracker_url == url


@pytest.mark.parametrize("url", ["postgresql+psycopg://guide@db-host/guide", "var/conversations"])
def test_a_tracker_store_rasa_cannot_open_is_refused_with_advice(url: str) -> None:
    with pytest.raises(ValidationError, match="write a SQLite file"):
        Settings(rasa_tracker_url=url)


def test_several_rasa_workers_need_a_lock_store(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("GUIDE_RASA_WORKERS", "2")
    monkeypatch.delenv("GUIDE_RASA_LOCK_STORE_URL", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["bot", "rasa"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.stderr.startswith("Value error, GUIDE_RASA_WORKERS=2 needs GUIDE_RASA_LOCK")
    workers = Settings(rasa_workers=2, rasa_lock_store_url="redis://127.0.0.1:6379/1")
    assert workers.rasa_workers == 2
