"""`guide map build` and `guide map vendor`, and the pages the web application serves."""

from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from maps import site_keys_in
from maps.cli import app
from maps.pages import MapPages
from maps.tours import Tour
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import SITES_DIR
from sites_data.schema import Site
from sites_data.store import SiteStore


def _guide_map(*arguments: str | Path, database_url: str | None = None) -> Result:
    """``guide map …``, with the settings object the ``guide`` command passes down."""
    return CliRunner().invoke(
        app,
        [str(argument) for argument in arguments],
        obj=SimpleNamespace(database_url=database_url),
    )


def _loaded_database(tmp_path: Path, sites: list[Site]) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(sites)
    return url, engine


def test_build_writes_the_map_of_the_public_sites(
    tmp_path: Path, shipped_sites: list[Site]
) -> None:
    url, engine = _loaded_database(tmp_path, shipped_sites)
    store = SiteStore(Database(engine))
    # Po Rome is a stop of a tour: the tour goes on without it.
    store.set_archived("po-rome", True, based_on=store.get("po-rome").revision, author="staff")
    out = tmp_path / "map.html"
    result = _guide_map("build", "--lang", "ja", "--out", out, database_url=url)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert len(site_keys_in(html)) == len(shipped_sites) - 1
    assert "po-rome" not in site_keys_in(html)
    assert f"{len(shipped_sites) - 1} site(s) and 2 tour(s)" in result.output


def test_build_from_site_files_with_another_prefix(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = _guide_map("build", "--out", out, "--site-files", SITES_DIR, "--assets-prefix", "/v/")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    assert '<script defer src="/v/leaflet/dist/leaflet.js">' in html


def test_build_refuses_an_unknown_language(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = _guide_map("build", "--lang", "xx", "--out", out, "--site-files", SITES_DIR)
    assert result.exit_code == 1
    assert "--lang: unknown language 'xx'; the supported ones are vi, en" in result.output
    assert not out.exists()


def test_build_refuses_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = _guide_map("build", "--out", tmp_path / "map.html", database_url=url)
    assert result.exit_code == 1
    assert "run `guide sites load` first" in result.output


def test_build_reports_a_tour_naming_an_unknown_site(tmp_path: Path) -> None:
    tours = tmp_path / "tours.yaml"
    tours.write_text(
        "- key: short\n  names: {vi: a, en: a, zh: a, ko: a, ja: a, fr: a, ru: a, de: a}\n"
        "  description: {vi: {text: a, origin: human}, en: {text: a, origin: human}}\n"
        "  stops: [thap-doi, nowhere]\n",
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    result = _guide_map("build", "--out", out, "--site-files", SITES_DIR, "--tours", tours)
    assert result.exit_code == 1
    assert "tours.yaml: short.stops: names 'nowhere', which is not a site key" in result.output


def test_vendor_copies_the_files(tmp_path: Path) -> None:
    result = _guide_map("vendor", "--destination", tmp_path / "vendor")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "vendor" / "leaflet" / "dist" / "leaflet.js").is_file()


def test_pages_are_built_once_per_version_of_the_sites(
    tmp_path: Path, shipped_sites: list[Site], shipped_tours: list[Tour]
) -> None:
    _, engine = _loaded_database(tmp_path, shipped_sites)
    store = SiteStore(Database(engine))
    pages = MapPages(shipped_tours)
    first = pages.page(store.catalogue(), "ko")
    assert pages.page(store.catalogue(), "ko") is first
    assert pages.page(store.catalogue(), "de") is not first
    store.set_archived("ky-co", True, based_on=store.get("ky-co").revision, author="staff")
    again = pages.page(store.catalogue(), "ko")
    assert "ky-co" in site_keys_in(first)
    assert "ky-co" not in site_keys_in(again)
