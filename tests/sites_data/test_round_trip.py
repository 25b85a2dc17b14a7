"""YAML → database → YAML (and JSON) loses nothing."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from sites_data.files import read_site_files
from sites_data.schema import Site

runner = CliRunner()

CONTRACT_FIELDS = {
    "key",
    "names",
    "aliases",
    "province",
    "location",
    "category",
    "opening_hours",
    "tickets",
    "description",
    "narration",
    "sources",
}


@pytest.fixture(autouse=True)
def loaded_database(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    result = runner.invoke(app, ["sites", "load"])
    assert result.exit_code == 0, result.output


def test_yaml_export_equals_the_shipped_files(shipped_sites: list[Site], tmp_path: Path) -> None:
    result = runner.invoke(app, ["sites", "export", "--format", "yaml", "--out", "exported"])
    assert result.exit_code == 0, result.output
    exported = read_site_files(tmp_path / "exported")
    assert exported == shipped_sites


def test_yaml_export_to_stdout_is_one_document_per_site(shipped_sites: list[Site]) -> None:
    result = runner.invoke(app, ["sites", "export", "--format", "yaml"])
    documents = list(yaml.safe_load_all(result.stdout))
    assert [Site.model_validate(d) for d in documents] == shipped_sites


def test_json_export_keeps_the_contract(shipped_sites: list[Site]) -> None:
    result = runner.invoke(app, ["sites", "export", "--format", "json"])
    documents = json.loads(result.stdout)
    assert isinstance(documents, list)
    assert len(documents) == len(shipped_sites)
    for document in documents:
        assert document.keys() >= CONTRACT_FIELDS
        assert set(document["province"]) >= {"current", "former"}
        assert set(document["location"]) == {"lat", "lon"}
        for text in document["narration"].values():
            assert text["origin"] in {"human", "machine", "reviewed"}
            assert text["text"]
    assert [Site.model_validate(d) for d in documents] == shipped_sites


def test_exported_files_load_back_as_unchanged() -> None:
    runner.invoke(app, ["sites", "export", "--out", "exported"])
    result = runner.invoke(app, ["sites", "load", "exported"])
    assert result.exit_code == 0
    assert "0 created, 0 updated" in result.stdout
