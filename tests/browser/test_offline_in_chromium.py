"""The offline tour pack and the screen in headless Chromium, with the guide's server stopped
after they were kept: the tour's pages and narration still load, the screen still plays.

Map tiles come from a tile server on this machine (``tile_server``), never a public one.
"""

import re
import subprocess
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine

from api.settings import Settings
from maps.tours import read_tours
from narration.build import Outcome
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.translation.base import IdentityTranslator
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore
from tests.browser.conftest import free_port, serving
from tests.browser.tile_server import TileServer, tile_server

WAIT_S = 60
TOUR = "vijaya-towers"
NARRATED = ["thap-doi", "banh-it"]  # the stops whose English narration is built
PUBLIC_BASE_URL = "https://guide.example.org"


@dataclass(frozen=True)
class OfflineGuide:
    settings: Settings
    port: int
    tiles: TileServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def offline_guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfflineGuide]:
    """The shipped sites, two of the tour's stops narrated in English (espeak-ng)."""
    root = tmp_path_factory.mktemp("offline")
    database_url = f"sqlite:///{root / 'guide.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    store = SiteStore(Database(engine))
    store.load(read_site_files())
    narration = Narration(store, root / "audio", Voices([EspeakNg()]), IdentityTranslator())
    report = narration.build(NARRATED, ["en"], engine="espeak")
    assert report.count(Outcome.BUILT) == len(NARRATED), report.failures
    engine.dispose()
    with tile_server() as tiles:
        settings = Settings(
            database_url=database_url,
            audio_dir=str(root / "audio"),
            map_tile_url=tiles.url,
            public_base_url=PUBLIC_BASE_URL,
        )
        yield OfflineGuide(settings, free_port(), tiles)


def _state(browser: Chrome) -> str:
    return str(browser.find_element(By.ID, "offline-pack").get_attribute("data-state") or "")


def _idle(browser: Chrome) -> bool:
    return not browser.execute_script("return document.getElementById('pack-download').disabled")


def _kept_addresses(browser: Chrome, cache: str) -> list[str]:
    addresses: list[str] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.open(arguments[0]).then(c => c.keys()).then(keys => done(keys.map(k => k.url)));",
        f"pack:{cache}",
    )
    return addresses


def _offline_fetch(browser: Chrome, address: str, headers: dict[str, str]) -> dict[str, object]:
    """Fetch ``address`` from the page (so through the service worker): status and bytes."""
    answer: dict[str, object] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {headers: arguments[1]})"
        ".then(r => r.arrayBuffer().then(b => done({status: r.status, bytes: b.byteLength,"
        " type: r.headers.get('Content-Type')})))"
        ".catch(e => done({status: 0, error: String(e)}));",
        address,
        headers,
    )
    return answer


def _site_name(guide: OfflineGuide, key: str) -> str:
    store = SiteStore(Database(create_engine(guide.settings.database_url)))
    return store.get(key).site.name("en")


def test_a_downloaded_tour_keeps_its_pages_and_narration_with_the_server_stopped(
    browser: Chrome, offline_guide: OfflineGuide
) -> None:
    guide = offline_guide
    tour = next(tour for tour in read_tours() if tour.key == TOUR)
    with serving(guide.settings, guide.port) as url:
        browser.get(f"{url}/tours/{TOUR}?lang=en")
        WebDriverWait(browser, WAIT_S).until(lambda _: _state(browser) and _idle(browser))
        assert _state(browser) == "absent"
        pack = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(r => r.json()).then(done);",
            f"/api/tours/{TOUR}/offline?lang=en",
        )
        browser.find_element(By.ID, "pack-download").click()
        WebDriverWait(browser, WAIT_S).until(lambda _: _state(browser) == "kept" and _idle(browser))
        status = browser.find_element(By.ID, "pack-status").text
        assert status.startswith("Kept on this device: ") and " MB, saved " in status
        waiting = len(tour.stops) - len(NARRATED)
        assert f"The narration of {waiting} stop(s) is not ready yet" in status
        assert "Something changed" not in status
        assert browser.find_element(By.ID, "pack-space").text.startswith("The guide uses ")

        # Every address of the pack is kept, each tile asked of the tile server once.
        kept = {address.removeprefix(url) for address in _kept_addresses(browser, pack["cache"])}
        listed = [*pack["pages"], *pack["assets"], *pack["audio"], *pack["tiles"]]
        assert kept >= set(listed)
        # With what the pages and their stylesheets load: the map's libraries and their images
        # (the map has no icon font: its icons are inline SVG), the guide's own files by their
        # fingerprinted names (guide.<hash>.css).
        named = {re.sub(r"\.[0-9a-f]{12}\.", ".", address) for address in kept}
        wanted = {"/static/guide.css", "/static/site.js", "/static/offline.js", "/static/here.js"}
        assert wanted | {"/widget.js"} <= named
        assert "/static/vendor/leaflet/dist/leaflet.js" in kept
        assert "/static/vendor/leaflet/dist/images/layers.png" in kept
        assert len(pack["audio"]) == len(NARRATED) and all(
            a.endswith(".opus") for a in pack["audio"]
        )
        assert set(pack["without_audio"]) == set(tour.stops) - set(NARRATED)
        assert guide.tiles.tiles_served == len(pack["tiles"]) > 50
        assert all(count == 1 for count in guide.tiles.requests.values())

    # The server is stopped: nothing answers at its address any more.
    for stop in NARRATED:
        browser.get(f"{url}/s/{stop}?lang=en")
        assert browser.find_element(By.TAG_NAME, "h1").text == _site_name(guide, stop)
        audio = browser.find_element(By.ID, "narration")
        browser.execute_script(
            "const audio = arguments[0]; window.canplayFired = false;"
            "audio.addEventListener('canplay', () => { window.canplayFired = true; });"
            "audio.muted = true; audio.play();",
            audio,
        )
        WebDriverWait(browser, WAIT_S).until(
            lambda b: b.execute_script("return window.canplayFired")
        )
        source = browser.execute_script("return arguments[0].currentSrc", audio)
        assert source.endswith(".opus")
        assert browser.execute_script("return arguments[0].duration", audio) > 5
        whole = _offline_fetch(browser, source, {})
        part = _offline_fetch(browser, source, {"Range": "bytes=100-199"})
        assert whole["status"] == 200 and int(str(whole["bytes"])) > 1000
        assert (part["status"], part["bytes"]) == (206, 100)
    browser.get(f"{url}/tours/{TOUR}?lang=en")
    assert browser.find_element(By.TAG_NAME, "h1").text == tour.name("en")
    browser.get(f"{url}/map?lang=en")
    assert browser.execute_script("return typeof L") == "object"  # Leaflet, kept with the map
    # A page the pack does not hold is not there: the network really is gone.
    with suppress(WebDriverException):  # Chromium's own page for a network error
        browser.get(f"{url}/s/po-klong-garai?lang=en")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert _site_name(guide, "po-klong-garai") not in body


def test_refreshing_a_tour_fetches_what_changed_and_removing_it_frees_the_space(
    browser: Chrome, offline_guide: OfflineGuide
) -> None:
    guide = offline_guide
    store = SiteStore(Database(create_engine(guide.settings.database_url)))
    with serving(guide.settings, guide.port) as url:
        browser.get(f"{url}/tours/{TOUR}?lang=en")
        WebDriverWait(browser, WAIT_S).until(lambda _: _state(browser) == "kept" and _idle(browser))
        tiles_before = guide.tiles.tiles_served
        stored = store.get("banh-it")
        changed = stored.site.model_copy(
            update={"names": {**stored.site.names, "en": "Bánh Ít towers (renamed for a test)"}}
        )
        store.update(changed, stored.revision, "test")
        browser.refresh()
        WebDriverWait(browser, WAIT_S).until(lambda _: _state(browser) == "kept" and _idle(browser))
        status = browser.find_element(By.ID, "pack-status")
        WebDriverWait(browser, WAIT_S).until(lambda _: "Something changed since" in status.text)
        browser.find_element(By.ID, "pack-refresh").click()
        WebDriverWait(browser, WAIT_S).until(
            lambda _: browser.find_element(By.ID, "pack-status").text.startswith("Updated: ")
        )
        assert (
            int(str(browser.find_element(By.ID, "offline-pack").get_attribute("data-changed"))) >= 1
        )
        # The tiles are fresh for a day by their server's Cache-Control: none asked again.
        assert guide.tiles.tiles_served == tiles_before
        page = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "caches.match(arguments[0], {ignoreVary: true}).then(r => r.text()).then(done);",
            f"{url}/s/banh-it?lang=en",
        )
        assert "renamed for a test" in page
        browser.refresh()
        WebDriverWait(browser, WAIT_S).until(
            lambda _: browser.find_element(By.ID, "pack-status").text.startswith("Kept on ")
        )
        assert "Something changed" not in browser.find_element(By.ID, "pack-status").text

        browser.find_element(By.ID, "pack-remove").click()
        WebDriverWait(browser, WAIT_S).until(lambda _: _state(browser) == "absent")
        assert browser.find_element(By.ID, "pack-status").text == "Removed from this device."
        assert not browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"caches.has('pack:tour-{TOUR}-en').then(done);"
        )
        store.update(stored.site, stored.revision + 1, "test")


def _decoded_qr(browser: Chrome, element_id: str, folder: Path) -> str:
    png = folder / f"{element_id}.png"
    png.write_bytes(
        browser.find_element(By.CSS_SELECTOR, f"#{element_id} .qr svg").screenshot_as_png
    )
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"zbarimg found no QR code in {png}"
    return result.stdout.strip()


def _current(browser: Chrome) -> str:
    return str(browser.find_element(By.ID, "loop").get_attribute("data-current"))


def test_the_screen_loops_shows_qr_codes_of_the_sites_and_keeps_playing_offline(
    browser: Chrome, offline_guide: OfflineGuide, tmp_path: Path
) -> None:
    guide = offline_guide
    tour = next(tour for tour in read_tours() if tour.key == TOUR)
    address = f"/screen?lang=en&tour={TOUR}&seconds=5"
    with serving(guide.settings, guide.port) as url:
        browser.get(url + address)
        first = _current(browser)
        assert first == tour.stops[0]
        assert _decoded_qr(browser, f"slide-{first}", tmp_path) == f"{PUBLIC_BASE_URL}/s/{first}"
        WebDriverWait(browser, WAIT_S).until(lambda _: _current(browser) != first)
        second = _current(browser)
        assert second == tour.stops[1]
        assert _decoded_qr(browser, f"slide-{second}", tmp_path) == f"{PUBLIC_BASE_URL}/s/{second}"
        visible = [s for s in browser.find_elements(By.CSS_SELECTOR, ".slide") if s.is_displayed()]
        assert [s.get_attribute("data-key") for s in visible] == [second]
        WebDriverWait(browser, WAIT_S).until(
            lambda _: browser.find_element(By.ID, "loop").get_attribute("data-kept") == "true"
        )
    browser.get(url + address)  # the server is stopped
    shown = _current(browser)
    assert shown == tour.stops[0]
    WebDriverWait(browser, WAIT_S).until(lambda _: _current(browser) != shown)


def test_the_screen_shows_the_site_the_vehicle_is_approaching(
    browser: Chrome, offline_guide: OfflineGuide
) -> None:
    guide = offline_guide
    store = SiteStore(Database(create_engine(guide.settings.database_url)))
    target = store.get("phu-loc").site
    with serving(guide.settings, guide.port) as url:
        # Where the device has not been allowed yet, the screen does not ask by itself: it
        # offers a button to whoever sets it up.
        browser.execute_cdp_cmd(
            "Browser.setPermission",
            {"origin": url, "permission": {"name": "geolocation"}, "setting": "prompt"},
        )
        browser.get(f"{url}/screen?lang=en&tour={TOUR}&seconds=5")
        locate = browser.find_element(By.ID, "locate")
        WebDriverWait(browser, WAIT_S).until(lambda _: locate.is_displayed())
        assert locate.text == "Use this device's position"
        assert not browser.find_element(By.ID, "approaching").is_displayed()
        browser.execute_cdp_cmd(
            "Browser.grantPermissions", {"origin": url, "permissions": ["geolocation"]}
        )
        # About 1.1 km south of the tower, on the road towards it.
        browser.execute_cdp_cmd(
            "Emulation.setGeolocationOverride",
            {
                "latitude": target.location.lat - 0.01,
                "longitude": target.location.lon,
                "accuracy": 20,
            },
        )
        try:
            browser.get(f"{url}/screen?lang=en&tour={TOUR}&seconds=5")
            banner = browser.find_element(By.ID, "approaching")
            WebDriverWait(browser, WAIT_S).until(lambda _: banner.is_displayed())
            assert banner.text.startswith(f"Coming up: {target.name('en')} · ")
            assert banner.text.endswith(" km") and _current(browser) == "phu-loc"
            assert not browser.find_element(By.ID, "locate").is_displayed()
        finally:
            browser.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
            browser.execute_cdp_cmd("Browser.resetPermissions", {})
