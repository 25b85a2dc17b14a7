"""The installable web app and the offline tour packs: the manifest and its icons, the
service worker, what a tour's pack lists (pages, Opus narration, map tiles of its area) and
the tour pages that offer it; the map's tile server setting."""

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import mercantile
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pydantic import ValidationError

from api.app import create_app
from api.offline_pack import MAX_TILES, STOP_ZOOMS, Stop, tiles_of_area
from api.settings import Settings
from api.static_assets import asset_url
from maps.tours import read_tours
from sites_data.db import Database, make_engine, upgrade
from sites_data.schema import Site
from sites_data.store import SiteStore

TILES = "https://tiles.example.org/osm/{z}/{x}/{y}.png"
STATIC = Path(__file__).parents[2] / "api" / "static"


@pytest.fixture(scope="module")
def database_url(shipped_sites: list[Site], tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('offline') / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(shipped_sites)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def client(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        audio_dir=str(tmp_path_factory.mktemp("audio")),
        map_tile_url=TILES,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_the_manifest_makes_the_guide_installable_in_the_visitors_language(
    client: TestClient,
) -> None:
    answer = client.get("/manifest.webmanifest?lang=fr")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["name"] == "Guide du patrimoine de Bình Định et Ninh Thuận"
    assert len(manifest["short_name"]) <= 16
    assert (manifest["lang"], manifest["start_url"], manifest["scope"]) == ("fr", "/?lang=fr", "/")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if "purpose" not in icon}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_each_icon_is_a_png_of_the_size_the_manifest_names(client: TestClient) -> None:
    for icon in client.get("/manifest.webmanifest").json()["icons"]:
        answer = client.get(icon["src"])
        assert answer.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(answer.content))
        image.load()
        assert (image.format, f"{image.width}x{image.height}") == ("PNG", icon["sizes"])
    assert client.get("/icons/icon-100.png").status_code == 404


def test_the_maskable_icon_keeps_its_mark_inside_the_circle_a_mask_leaves() -> None:
    from api.app_icon import ACCENT, app_icon_png

    image = Image.open(io.BytesIO(app_icon_png(512, maskable=True))).convert("RGB")
    background = Image.new("RGB", (1, 1), ACCENT).getpixel((0, 0))
    outside = [
        image.getpixel((x, y))
        for x in range(0, 512, 4)
        for y in range(0, 512, 4)
        if (x - 256) ** 2 + (y - 256) ** 2 > (0.4 * 512) ** 2
    ]
    assert set(outside) == {background}


def test_the_service_worker_is_served_from_the_root_and_revalidated(client: TestClient) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("script", ["sw.js", "offline.js", "screen.js"])
def test_the_offline_scripts_are_valid_javascript(script: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: `make setup` needs Node.js and npm")
    result = subprocess.run(
        [node, "--check", str(STATIC / script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_every_public_page_offers_the_manifest_and_registers_the_service_worker(
    client: TestClient,
) -> None:
    for path in ("/?lang=en", "/s/thap-doi?lang=en", "/tours/vijaya-towers?lang=en"):
        page = client.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in page
        assert f'<script src="{asset_url("offline.js")}" defer></script>' in page


def test_a_tours_pack_lists_its_pages_audio_files_and_the_tiles_of_its_area(
    client: TestClient, shipped_sites: list[Site]
) -> None:
    tour = next(tour for tour in read_tours() if tour.key == "vijaya-towers")
    answer = client.get("/api/tours/vijaya-towers/offline?lang=ko")
    assert answer.status_code == 200
    pack = answer.json()
    assert (pack["tour"], pack["lang"], pack["name"]) == (tour.key, "ko", tour.name("ko"))
    assert pack["cache"] == "tour-vijaya-towers-ko"
    assert pack["pages"] == [
        "/tours/vijaya-towers?lang=ko",
        "/map?lang=ko",
        *(f"/s/{stop}?lang=ko" for stop in tour.stops),
    ]
    assert {"/manifest.webmanifest", "/icons/maskable-512.png"} <= set(pack["assets"])
    # No narration is built on this database: the pack says which stops have none.
    assert (pack["audio"], pack["without_audio"]) == ([], tour.stops)
    assert 0 < len(pack["tiles"]) <= MAX_TILES
    assert all(url.startswith("https://tiles.example.org/osm/") for url in pack["tiles"])
    kept = set(pack["tiles"])
    sites = {site.key: site for site in shipped_sites}
    for stop in tour.stops:
        location = sites[stop].location
        for zoom in (7, 13, *STOP_ZOOMS):
            tile = mercantile.tile(location.lon, location.lat, zoom)
            assert f"https://tiles.example.org/osm/{zoom}/{tile.x}/{tile.y}.png" in kept


def test_a_packs_revision_changes_only_when_its_content_does(
    client: TestClient, database_url: str
) -> None:
    address = "/api/tours/phan-rang-cham-crafts/offline?lang=en"
    first = client.get(address).json()["revision"]
    assert client.get(address).json()["revision"] == first
    store = SiteStore(Database(make_engine(database_url)))
    stored = store.get("po-rome")
    renamed = stored.site.model_copy(update={"names": {**stored.site.names, "en": "Po Rome!"}})
    store.update(renamed, stored.revision, "test")
    try:
        assert client.get(address).json()["revision"] != first
    finally:
        store.update(stored.site, stored.revision + 1, "test")
    assert client.get(address).json()["revision"] == first


def test_a_pack_never_holds_more_tiles_than_its_limit_leaving_out_the_deepest_zooms() -> None:
    stops = [Stop("a", 13.78, 109.22), Stop("b", 13.92, 108.99)]
    everything = tiles_of_area(stops, max_tiles=10_000)
    limited = tiles_of_area(stops, max_tiles=60)
    assert len(limited) <= 60 < len(everything)
    assert max(tile.z for tile in limited) < max(tile.z for tile in everything)
    assert {tile for tile in everything if tile.z <= 9} <= set(limited)


def test_an_unknown_tour_or_language_is_refused_with_the_reason(client: TestClient) -> None:
    missing = client.get("/api/tours/nowhere/offline?lang=en")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "there is no tour 'nowhere'"}
    wrong = client.get("/api/tours/vijaya-towers/offline?lang=xx")
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["query", "lang"]


def test_a_tours_page_lists_its_stops_and_offers_the_offline_pack(client: TestClient) -> None:
    tour = next(tour for tour in read_tours() if tour.key == "vijaya-towers")
    page = client.get("/tours/vijaya-towers?lang=de").text
    assert f"<h1>{tour.name('de')}</h1>" in page
    positions = [page.index(f'href="/s/{stop}/de"') for stop in tour.stops]
    assert positions == sorted(positions)
    assert 'data-pack="/api/tours/vijaya-towers/offline?lang=de"' in page
    assert "Diese Tour herunterladen" in page
    assert 'href="/screen?lang=de&amp;tour=vijaya-towers"' in page
    home = client.get("/?lang=de").text
    assert 'href="/tours/vijaya-towers?lang=de"' in home


def test_an_unknown_tours_page_offers_the_tours_there_are(client: TestClient) -> None:
    answer = client.get("/tours/nowhere?lang=en", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    assert "No tour has the code “nowhere”" in answer.text
    for tour in read_tours():
        assert f'href="/tours/{tour.key}?lang=en"' in answer.text


def test_the_map_and_its_policy_take_tiles_from_the_setting(client: TestClient) -> None:
    answer = client.get("/map?lang=en")
    assert TILES in answer.text
    assert "tile.openstreetmap.org" not in answer.text
    images = next(
        part
        for part in answer.headers["content-security-policy"].split("; ")
        if part.startswith("img-src")
    )
    assert images.split()[1:] == ["'self'", "data:", "https://tiles.example.org"]


@pytest.mark.parametrize(
    "url", ["tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png"]
)
def test_a_tile_url_without_scheme_or_placeholders_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="is not a tile URL template"):
        Settings(map_tile_url=url)
