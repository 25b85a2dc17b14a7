"""A tour's playlist in Chromium: the narration of the next stop follows when one ends, and
when the visitor arrives at a later stop (position set through the DevTools protocol).

The guide serves the shipped sites with the English narration of the tour's first two
stops built with espeak-ng, the fastest offline voice.
"""

from collections.abc import Iterator

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api.settings import Settings
from maps import read_tours
from narration.build import Outcome
from narration.service import Narration
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.translation.base import IdentityTranslator
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore
from tests.browser.conftest import serving
from tests.fake_rasa import FakeRasa

WAIT_S = 20
TOUR = next(tour for tour in read_tours() if tour.key == "vijaya-towers")
FIRST, SECOND = TOUR.stops[0], TOUR.stops[1]


@pytest.fixture(scope="module")
def touring_server(tmp_path_factory: pytest.TempPathFactory, rasa: FakeRasa) -> Iterator[str]:
    root = tmp_path_factory.mktemp("tour")
    database_url = f"sqlite:///{root / 'guide.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    store = SiteStore(Database(engine))
    store.load(read_site_files())
    narration = Narration(store, root / "audio", Voices([EspeakNg()]), IdentityTranslator())
    report = narration.build([FIRST, SECOND], ["en"], engine="espeak")
    assert report.count(Outcome.BUILT) == 2, report.failures
    engine.dispose()
    settings = Settings(database_url=database_url, audio_dir=str(root / "audio"), rasa_url=rasa.url)
    with serving(settings) as url:
        yield url


def _current(browser: Chrome) -> str | None:
    key: str | None = browser.execute_script(
        "var li = document.querySelector('[data-playlist] li[aria-current]');"
        "return li && li.dataset.key;"
    )
    return key


def _source(browser: Chrome) -> str:
    return str(browser.execute_script("return document.getElementById('narration').currentSrc"))


def test_the_next_stops_narration_plays_when_one_ends(browser: Chrome, touring_server: str) -> None:
    browser.get(f"{touring_server}/s/{FIRST}?lang=en&tour={TOUR.key}")
    assert _current(browser) == FIRST
    first_audio = browser.execute_script(
        "var audio = document.getElementById('narration'); audio.play(); return true;"
    )
    assert first_audio
    WebDriverWait(browser, WAIT_S).until(lambda b: f"/audio/{FIRST}/en/" in _source(b))
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.execute_script(
            "var a = document.getElementById('narration'); return a.duration > 0 && !a.paused;"
        )
    )
    browser.execute_script(
        "var a = document.getElementById('narration'); a.currentTime = a.duration - 0.3;"
    )
    WebDriverWait(browser, WAIT_S).until(lambda b: _current(b) == SECOND)
    WebDriverWait(browser, WAIT_S).until(lambda b: f"/audio/{SECOND}/en/" in _source(b))
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.execute_script("return !document.getElementById('narration').paused")
    )
    now_playing = browser.find_element(By.CSS_SELECTOR, "[data-playlist] p[data-now-playing]")
    assert now_playing.text == "Now playing: Bánh Ít Towers (Silver Towers)"


def test_arriving_at_the_next_stop_moves_the_playlist_there(
    browser: Chrome, touring_server: str
) -> None:
    second = next(site for site in read_site_files() if site.key == SECOND)
    browser.execute_cdp_cmd(
        "Browser.setPermission",
        {
            "origin": touring_server,
            "permission": {"name": "geolocation"},
            "setting": "granted",
        },
    )
    browser.execute_cdp_cmd(
        "Emulation.setGeolocationOverride",
        {"latitude": second.location.lat, "longitude": second.location.lon, "accuracy": 10},
    )
    try:
        browser.get(f"{touring_server}/s/{FIRST}?lang=en&tour={TOUR.key}")
        assert _current(browser) == FIRST
        browser.find_element(By.CSS_SELECTOR, "[data-here-button]").click()
        WebDriverWait(browser, WAIT_S).until(lambda b: _current(b) == SECOND)
        WebDriverWait(browser, WAIT_S).until(lambda b: f"/audio/{SECOND}/en/" in _source(b))
    finally:
        browser.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
        browser.execute_cdp_cmd("Browser.resetPermissions", {})
