"""The browser libraries: fetched from npm, copied locally, every referenced file present."""

import json
from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster, TimestampedGeoJson

from maps.assets import DEFAULT_PREFIX, LOCAL_FILES, UnvendoredAsset, npm_packages, use_local_assets
from maps.build import HERE_SCRIPT
from maps.vendor import REPO_ROOT, VendorError, stylesheet_references, vendor
from tests.maps import page


def test_package_json_lists_exactly_the_packages_used() -> None:
    manifest = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert set(manifest["dependencies"]) == npm_packages()
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert set(lock["packages"][""]["dependencies"]) == npm_packages()


def test_every_file_the_page_loads_is_vendored(pages: dict[str, str], vendored: Path) -> None:
    for url in page.asset_urls(pages["en"]):
        assert url.startswith(DEFAULT_PREFIX) or url == HERE_SCRIPT  # here.js is the guide's
        assert (vendored / url.lstrip("/")).is_file(), url


def test_every_file_a_stylesheet_loads_is_vendored(vendored: Path) -> None:
    for path in LOCAL_FILES.values():
        if not path.endswith(".css"):
            continue
        stylesheet = vendored / "static" / "vendor" / path
        for reference in stylesheet_references(stylesheet.read_text(encoding="utf-8")):
            assert (stylesheet.parent / reference).resolve().is_file(), (path, reference)


def test_licences_travel_with_the_files(vendored: Path) -> None:
    for package in npm_packages():
        folder = vendored / "static" / "vendor" / package
        assert [path for path in folder.iterdir() if "lic" in path.name.lower()], package


def test_vendoring_without_node_modules_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(VendorError, match=r"missing from .*leaflet/dist/leaflet\.js.*npm ci"):
        vendor(tmp_path / "node_modules", tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()


def test_stylesheet_references_skip_inline_and_remote_files() -> None:
    css = """
        a { background: url(images/layers.png); }
        b { background: url('../webfonts/fa.woff2?v=6') format("woff2"); }
        c { background: url("data:image/svg+xml;charset=UTF-8,<svg/>"); }
        d { behavior: url(#default#VML); background: url(https://example.org/x.png); }
    """
    assert stylesheet_references(css) == ["images/layers.png", "../webfonts/fa.woff2"]


def test_an_element_with_no_local_copy_stops_the_build() -> None:
    figure = folium.Figure()
    page_map = folium.Map(tiles=None).add_to(figure)
    features = {"type": "FeatureCollection", "features": []}
    TimestampedGeoJson(features).add_to(page_map)  # type: ignore[no-untyped-call]
    with pytest.raises(UnvendoredAsset, match=r"TimestampedGeoJson loads .* maps/assets\.py"):
        use_local_assets(figure)


def test_local_assets_leave_folium_defaults_alone() -> None:
    figure = folium.Figure()
    page_map = folium.Map(tiles=None).add_to(figure)
    MarkerCluster().add_to(page_map)  # type: ignore[no-untyped-call]
    use_local_assets(figure, "/lib/")
    assert MarkerCluster.default_js[0][1].startswith("https://")
    assert "/lib/leaflet/dist/leaflet.js" in figure.render()
