""" "You are here" in headless Chromium with its position set by the DevTools protocol
(``Emulation.setGeolocationOverride``) and the permission granted or denied: the QR page and
the map say which site the visitor is at, or the nearest ones, only once the button is pressed.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from maps import load_labels
from sites_data.files import read_site_files

WAIT_S = 15
SITES = {site.key: site for site in read_site_files()}


@pytest.fixture
def located(browser: Chrome, live_server: str) -> Iterator[Any]:
    """Sets the browser's position; the permission is granted unless told otherwise."""

    def place(key: str | None = None, lat: float = 0, lon: float = 0, allow: bool = True) -> None:
        if key is not None:
            lat, lon = SITES[key].location.lat, SITES[key].location.lon
        browser.execute_cdp_cmd(
            "Browser.setPermission",
            {
                "origin": live_server,
                "permission": {"name": "geolocation"},
                "setting": "granted" if allow else "denied",
            },
        )
        browser.execute_cdp_cmd(
            "Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 10}
        )

    yield place
    browser.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
    browser.execute_cdp_cmd("Browser.resetPermissions", {})


def _press_where_am_i(browser: Chrome) -> str:
    answer = browser.find_element(By.CSS_SELECTOR, "[data-here-answer]")
    assert answer.text == ""  # nothing is asked before the button is pressed
    browser.find_element(By.CSS_SELECTOR, "[data-here-button]").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda _: (
            answer.find_elements(By.CSS_SELECTOR, ".here-at, p")
            and not answer.text.startswith(load_labels().here.locating["en"])
        )
    )
    return str(answer.text)


def test_the_qr_page_says_which_site_the_visitor_is_at(
    browser: Chrome, live_server: str, located: Any
) -> None:
    located("thap-doi")
    browser.get(f"{live_server}/s/banh-it?lang=en")
    text = _press_where_am_i(browser)
    assert text.startswith("You are at Twin Towers (Tháp Đôi).")
    listen = browser.find_element(By.CSS_SELECTOR, "[data-here-answer] a")
    assert listen.get_attribute("href") == f"{live_server}/s/thap-doi?lang=en"
    assert listen.text == "Listen: Twin Towers (Tháp Đôi)"
    nearest = browser.find_elements(By.CSS_SELECTOR, ".here-nearest li")
    assert len(nearest) == 3
    assert all(item.text.endswith(("north", "east", "south", "west")) for item in nearest)


def test_away_from_the_sites_the_nearest_with_distance_and_direction_in_korean(
    browser: Chrome, live_server: str, located: Any
) -> None:
    # About 2 km west of Tháp Đôi.
    located(lat=SITES["thap-doi"].location.lat, lon=SITES["thap-doi"].location.lon - 0.0185)
    browser.get(f"{live_server}/s/thap-doi?lang=ko")
    text = _press_where_am_i(browser)
    assert text.startswith(load_labels().here.not_at["ko"])
    first = browser.find_element(By.CSS_SELECTOR, ".here-nearest li")
    assert first.get_attribute("data-key") == "thap-doi"
    assert first.text.endswith("동쪽으로 2.0km")


def test_a_refused_permission_says_what_to_do(
    browser: Chrome, live_server: str, located: Any
) -> None:
    located("thap-doi", allow=False)
    browser.get(f"{live_server}/?lang=fr")
    assert _press_where_am_i(browser) == load_labels().here.denied["fr"]


def test_on_a_tour_the_page_has_its_playlist_and_says_the_next_stop(
    browser: Chrome, live_server: str, located: Any
) -> None:
    located("banh-it")
    browser.get(f"{live_server}/s/thap-doi?lang=en&tour=vijaya-towers")
    stops = browser.find_elements(By.CSS_SELECTOR, "[data-playlist] li")
    assert [stop.get_attribute("data-key") for stop in stops][:3] == [
        "thap-doi",
        "banh-it",
        "thanh-hoang-de",
    ]
    assert stops[0].get_attribute("aria-current") == "step"
    _press_where_am_i(browser)
    following = SITES["thanh-hoang-de"].name("en")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".here-next").text.startswith(
            f"Next stop: {following}, "
        )
    )
    assert "Silver Towers" in browser.find_element(By.CSS_SELECTOR, ".here-at").text


def test_the_map_shows_the_visitor_and_opens_the_site_they_are_at(
    browser: Chrome, live_server: str, located: Any
) -> None:
    located("po-klong-garai")
    browser.get(f"{live_server}/map?lang=vi")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.execute_script("return !!window.heritageGuide")
    )
    browser.find_element(By.CSS_SELECTOR, ".here-control a").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda b: (
            b.execute_script(
                "var a = document.querySelector('.leaflet-popup-content article');"
                "return a && a.dataset.key"
            )
            == "po-klong-garai"
        )
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".visitor-position")
    answer = browser.find_element(By.CSS_SELECTOR, "[data-here-answer]").text
    assert answer.startswith(f"Bạn đang ở {SITES['po-klong-garai'].name('vi')}.")
