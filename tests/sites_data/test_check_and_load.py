"""`guide sites check` and `guide sites load` on broken sets: clear lines, nothing changed."""

import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api.cli import app
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import SITES_DIR, display_path
from sites_data.store import SiteStore
from tests.factories import site_document, write_site_file

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    from api.settings import get_settings

    get_settings.cache_clear()
    return url


def _broken_set(folder: Path) -> dict[str, tuple[str, str]]:
    """Files with one problem each: file name → (field, words of the message)."""
    folder.mkdir()
    write_site_file(folder, site_document("good-one"))
    (folder / "syntax.yaml").write_text("key: syntax\nnames: [unclosed\n", "utf-8")
    (folder / "twice.yaml").write_text("key: twice\nkey: again\n", "utf-8")
    (folder / "list.yaml").write_text("- just\n- a list\n", "utf-8")
    (folder / "latin1.yaml").write_bytes("key: tháp\n".encode("latin-1"))
    write_site_file(folder, site_document("renamed"), name="other-name.yaml")
    write_site_file(folder, site_document("lost-link", related=["no-such-site"]))
    write_site_file(folder, site_document("no-hours", opening_hours={"status": "unknown"}))
    write_site_file(folder, site_document("good-one"), name="copy.yaml")
    return {
        "syntax.yaml": ("line 3", "not valid YAML"),
        "twice.yaml": ("line 2", "'key' is written twice"),
        "list.yaml": ("(file)", "expected a mapping"),
        "latin1.yaml": ("(file)", "not UTF-8"),
        "other-name.yaml": ("key", "make the file name '<key>.yaml'"),
        "lost-link.yaml": ("related", "'no-such-site', which is not a site key"),
        "no-hours.yaml": ("opening_hours", "needs a note"),
        "copy.yaml": ("key", "used by 2 files"),
    }


def test_check_reports_every_problem_as_file_field_reason(tmp_path: Path) -> None:
    expected = _broken_set(tmp_path / "sites")
    result = runner.invoke(app, ["sites", "check", "sites"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    for name, (field, words) in expected.items():
        assert any(
            line.startswith(f"{os.path.join('sites', name)}: {field}: ") and words in line
            for line in lines
        ), (name, lines)
    assert lines[-1] == f"{len(lines) - 1} problem(s) found; nothing was changed."


@pytest.mark.parametrize("path", ["missing-folder", "empty"])
def test_check_explains_a_path_without_sites(tmp_path: Path, path: str) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["sites", "check", path])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: (path): ")


def test_check_passes_a_good_file(tmp_path: Path) -> None:
    write_site_file(tmp_path, site_document("good-one"))
    result = runner.invoke(app, ["sites", "check", "good-one.yaml"])
    assert result.exit_code == 0, result.output
    assert "1 site(s) checked, no problems." in result.stdout


def test_loading_a_broken_set_changes_nothing(tmp_path: Path, database: str) -> None:
    good = tmp_path / "good"
    good.mkdir()
    write_site_file(good, site_document("good-one"))
    assert runner.invoke(app, ["sites", "load", "good"]).exit_code == 0
    engine = make_engine(database)
    before = SiteStore(Database(engine)).revisions("good-one")

    _broken_set(tmp_path / "sites")
    write_site_file(tmp_path / "sites", site_document("good-one", category="museum"))
    result = runner.invoke(app, ["sites", "load", "sites"])

    assert result.exit_code == 1
    assert "nothing was changed" in result.stderr
    store = SiteStore(Database(engine))
    assert store.revisions("good-one") == before
    assert [stored.site.key for stored in store.sites()] == ["good-one"]


def test_load_is_idempotent_and_reports_counts(tmp_path: Path, database: str) -> None:
    folder = tmp_path / "sites"
    folder.mkdir()
    write_site_file(folder, site_document("first-site"))
    write_site_file(folder, site_document("second-site"))
    first = runner.invoke(app, ["sites", "load", "sites"])
    again = runner.invoke(app, ["sites", "load", "sites"])
    assert "2 created, 0 updated, 0 unchanged" in first.stdout
    assert "0 created, 0 updated, 2 unchanged" in again.stdout
    upgrade(make_engine(database))
    assert [r.number for r in SiteStore(Database.open(database)).revisions("first-site")] == [1]


def test_check_reports_texts_in_the_wrong_language_too_short_or_misnaming_the_site(
    tmp_path: Path,
) -> None:
    document = yaml.safe_load((SITES_DIR / "po-klong-garai.yaml").read_text("utf-8"))
    narration = document["narration"]
    narration["fr"]["text"] = narration["de"]["text"]  # German under French
    narration["ko"]["text"] = narration["ko"]["text"].split("\n\n")[0]  # one paragraph of six
    narration["zh"]["text"] = narration["zh"]["text"].replace(document["names"]["zh"], "那座塔")
    for alias in document["aliases"]["zh"]:
        narration["zh"]["text"] = narration["zh"]["text"].replace(alias, "那座塔")
    document["related"] = []
    write_site_file(tmp_path, document)
    result = runner.invoke(app, ["sites", "check", str(tmp_path / "po-klong-garai.yaml")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    file = display_path(tmp_path / "po-klong-garai.yaml")
    assert (
        f"{file}: narration.fr: reads as German, not French; put the text under its language"
        in lines
    )
    assert any(
        line.startswith(f"{file}: narration.ko: is far shorter than the English") for line in lines
    )
    assert any(
        line.startswith(f"{file}: narration.zh: does not name the site as names.zh does")
        for line in lines
    )
    assert "3 problem(s) found." in lines


def test_the_shipped_texts_pass_the_language_checks() -> None:
    result = runner.invoke(app, ["sites", "check"])
    assert result.exit_code == 0, result.output
