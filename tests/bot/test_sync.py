"""`guide bot sync`: the NLU lookup tables, generated from the knowledge base."""

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from bot.sync import lookup_document, sync
from sites_data.db import Database, make_engine, upgrade
from sites_data.schema import Site
from sites_data.store import SiteStore
from tests.factories import make_site, site_document


def _blocks(document: str) -> dict[tuple[str, str], list[str]]:
    parsed = yaml.safe_load(document)["nlu"]
    return {
        (kind, block[kind]): [line[2:] for line in block["examples"].splitlines()]
        for block in parsed
        for kind in ("lookup", "synonym")
        if kind in block
    }


def test_every_name_and_alias_maps_to_its_site(shipped_sites: list[Site]) -> None:
    blocks = _blocks(lookup_document(shipped_sites))
    names = blocks[("lookup", "site")]
    assert names == sorted(names, key=lambda name: (-len(name), name))
    twin_towers = blocks[("synonym", "thap-doi")]
    for surface in ("tháp đôi", "thap doi", "twin towers", "双塔", "쌍탑", "башни-близнецы"):
        assert surface in twin_towers
    assert "cham towers" in blocks[("synonym", "cham_tower")]
    assert "deutsch" in blocks[("synonym", "de")]


def test_shared_and_generic_names_belong_to_no_site(shipped_sites: list[Site]) -> None:
    blocks = _blocks(lookup_document(shipped_sites))
    site_names = set(blocks[("lookup", "site")])
    # "Cà Ná" is two sites (a beach and the salt fields); 占婆塔 means any Cham tower.
    assert "ca na" not in site_names
    assert "占婆塔" not in site_names
    assert "占婆塔" in blocks[("synonym", "cham_tower")]


def test_the_file_is_rewritten_only_when_the_knowledge_base_changes(tmp_path: Path) -> None:
    target = tmp_path / "lookups.yml"
    sites = [make_site()]
    assert sync(sites, target) is True
    written = target.stat().st_mtime_ns
    assert sync(sites, target) is False
    assert target.stat().st_mtime_ns == written
    renamed = make_site(aliases={**site_document()["aliases"], "en": ["Trial Tower", "Test Spire"]})
    assert sync([renamed], target) is True
    assert "test spire" in target.read_text("utf-8")


def _use_database(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()


def test_the_command_reads_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load([make_site()])
    _use_database(url, monkeypatch)
    target = tmp_path / "generated" / "lookups.yml"
    result = CliRunner().invoke(app, ["bot", "sync", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "written (1 sites)" in result.output
    assert "test tower" in target.read_text("utf-8")


def test_a_database_not_ready_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_database(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)
    target = tmp_path / "lookups.yml"
    result = CliRunner().invoke(app, ["bot", "sync", "--out", str(target)])
    assert result.exit_code == 1
    assert "guide db upgrade" in result.output or "guide sites load" in result.output
    assert not target.exists()
