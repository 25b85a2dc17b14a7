"""The map in a real browser (Debian's chromium): markers, layers, search, links, no errors.

The page and the vendored libraries are served from a folder by a real HTTP server. The map
tiles are kept from loading, and nothing else may fail.
"""

import functools
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from maps import load_labels
from maps.tours import Tour
from sites_data.schema import Site
from tests.conftest import MAP_TILES_HOST

TILES = MAP_TILES_HOST


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(vendored: Path, pages: dict[str, str]) -> Iterator[str]:
    for lang, html in pages.items():
        (vendored / f"map-{lang}.html").write_text(html, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(vendored))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def open_map(server: str, browser: webdriver.Chrome) -> Callable[[str], webdriver.Chrome]:
    def open_page(address: str) -> webdriver.Chrome:
        _console(browser)  # forget the previous page's messages
        browser.get(f"{server}/{address}")
        WebDriverWait(browser, 10).until(
            lambda driver: driver.execute_script("return !!window.heritageGuide")
        )
        return browser

    return open_page


def _console(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    """The browser console's messages since the last call."""
    entries: list[dict[str, Any]] = browser.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


def _errors(browser: webdriver.Chrome) -> list[str]:
    return [
        entry["message"]
        for entry in _console(browser)
        if entry["level"] == "SEVERE"
        and TILES not in entry["message"]
        and "favicon.ico" not in entry["message"]
    ]


def _popup_key(browser: webdriver.Chrome) -> str | None:
    key: str | None = browser.execute_script(
        "var article = document.querySelector('.leaflet-popup-content article');"
        "return article && (article.dataset.key || article.dataset.tour);"
    )
    return key


def _wait_for_popup(browser: webdriver.Chrome, key: str) -> None:
    WebDriverWait(browser, 10).until(lambda driver: _popup_key(driver) == key)


def test_every_site_has_a_marker_and_nothing_fails(
    open_map: Callable[[str], webdriver.Chrome], shipped_sites: list[Site]
) -> None:
    browser = open_map("map-ko.html")
    keys = browser.execute_script("return heritageGuide.siteKeys()")
    assert sorted(keys) == sorted(site.key for site in shipped_sites)
    markers = browser.execute_script(
        "return Object.values(heritageGuide.sites).map(s => s.marker.options.siteKey)"
    )
    assert sorted(markers) == sorted(keys)
    assert browser.find_elements(By.CSS_SELECTOR, ".site-marker, .marker-cluster")
    assert _errors(browser) == []


def test_the_layer_list_has_the_categories_and_tours_in_korean(
    open_map: Callable[[str], webdriver.Chrome],
    shipped_sites: list[Site],
    shipped_tours: list[Tour],
) -> None:
    labels = load_labels()
    browser = open_map("map-ko.html")
    names = browser.execute_script(
        "return Array.from(document.querySelectorAll("
        "'.leaflet-control-layers-overlays label')).map(l => l.textContent.trim())"
    )
    categories = {site.category for site in shipped_sites}
    assert len(names) == len(categories) + len(shipped_tours)
    for category in categories:
        assert any(name.startswith(labels.category(category, "ko")) for name in names)
    for tour in shipped_tours:
        assert tour.name("ko") in names
    toggle = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-layers-toggle")
    assert toggle.get_attribute("title") == labels.layers["ko"]


def test_the_controls_are_titled_in_the_language(
    open_map: Callable[[str], webdriver.Chrome],
) -> None:
    labels = load_labels()
    browser = open_map("map-fr.html")
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control a[title]'))"
        ".map(a => a.title)"
    )
    for label in (labels.locate_title, labels.fullscreen, labels.zoom_in, labels.search_cancel):
        assert label["fr"] in titles


def test_searching_a_name_opens_that_site(
    open_map: Callable[[str], webdriver.Chrome], shipped_sites: list[Site]
) -> None:
    browser = open_map("map-ko.html")
    site = next(site for site in shipped_sites if site.key == "po-klong-garai")
    browser.find_element(By.CSS_SELECTOR, ".leaflet-control-search .search-button").click()
    box = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-search input.search-input")
    box.send_keys(site.name("ko")[:4])
    tip = WebDriverWait(browser, 5).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, ".search-tip")
    )
    assert tip.text == site.name("ko")
    tip.click()
    _wait_for_popup(browser, site.key)
    popup = browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
    assert site.name("ko") in popup.text
    assert _errors(browser) == []


def test_the_address_can_open_a_site_and_a_tour_stop_opens_the_next(
    open_map: Callable[[str], webdriver.Chrome], shipped_tours: list[Tour]
) -> None:
    tour = shipped_tours[1]
    browser = open_map(f"map-en.html?site={tour.stops[0]}")
    _wait_for_popup(browser, tour.stops[0])
    browser.execute_script(
        "var wanted = 'data-tour=\"' + arguments[0] + '\"';"
        "heritageGuide.map.closePopup();"
        "heritageGuide.map.eachLayer(function (layer) {"
        "  var popup = layer.getPopup && layer.getPopup();"
        "  if (layer instanceof L.Polyline && popup && popup.getContent().indexOf(wanted) >= 0) {"
        "    layer.openPopup(layer.getLatLngs()[0]);"
        "  }"
        "});",
        tour.key,
    )
    _wait_for_popup(browser, tour.key)
    # Let the popup finish opening before clicking in it.
    time.sleep(0.3)
    link = browser.find_element(By.CSS_SELECTOR, f'.tour-popup a[data-site="{tour.stops[-1]}"]')
    link.click()
    _wait_for_popup(browser, tour.stops[-1])
    assert _errors(browser) == []


def test_the_search_finds_a_name_written_without_diacritics(
    open_map: Callable[[str], webdriver.Chrome], shipped_sites: list[Site]
) -> None:
    browser = open_map("map-ko.html")
    site = next(site for site in shipped_sites if site.key == "thap-doi")
    browser.find_element(By.CSS_SELECTOR, ".leaflet-control-search .search-button").click()
    box = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-search input.search-input")
    box.send_keys("thap doi")
    tip = WebDriverWait(browser, 5).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, ".search-tip")
    )
    assert tip.text == site.name("ko")  # 쌍탑 (탑도이), found by its Vietnamese name
    tip.click()
    _wait_for_popup(browser, site.key)
    assert _errors(browser) == []


def _rect(browser: webdriver.Chrome, element: Any) -> dict[str, float]:
    rect: dict[str, float] = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height};",
        element,
    )
    return rect


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.fixture
def phone(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:
    """The browser as a 390×844 touch phone, for one test."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_on_a_phone_the_page_scrolls_past_the_map_and_controls_are_44px(
    phone: webdriver.Chrome, open_map: Callable[[str], webdriver.Chrome]
) -> None:
    browser = open_map("map-en.html")
    sizes = browser.execute_script(
        "return {page: document.scrollingElement.scrollHeight, view: window.innerHeight,"
        " map: heritageGuide.map.getContainer().getBoundingClientRect().height,"
        " coarse: matchMedia('(pointer: coarse)').matches,"
        " dragging: heritageGuide.map.dragging.enabled()}"
    )
    assert sizes["coarse"]
    assert sizes["map"] < sizes["view"] < sizes["page"]  # the map leaves the page to scroll
    assert not sizes["dragging"]  # one finger scrolls the page; two move the map
    controls = browser.find_elements(
        By.CSS_SELECTOR,
        ".leaflet-bar a, .leaflet-control-layers-toggle, .leaflet-control-search .search-button",
    )
    assert len(controls) >= 6  # here, zoom in, zoom out, full screen, layers, search
    for control in controls:
        rect = _rect(browser, control)
        assert rect["width"] >= 44 and rect["height"] >= 44, control.get_attribute("outerHTML")
    browser.find_element(By.CSS_SELECTOR, "[data-here-button]").click()  # reachable by scrolling


def test_on_a_phone_a_popup_opens_clear_of_the_controls(
    phone: webdriver.Chrome, open_map: Callable[[str], webdriver.Chrome], shipped_sites: list[Site]
) -> None:
    browser = open_map("map-en.html")
    northernmost = max(shipped_sites, key=lambda site: site.location.lat)
    browser.execute_script("heritageGuide.show(arguments[0])", northernmost.key)
    _wait_for_popup(browser, northernmost.key)
    time.sleep(0.6)  # the map pans the popup into view
    popup = _rect(browser, browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content-wrapper"))
    for control in browser.find_elements(By.CSS_SELECTOR, ".leaflet-top .leaflet-control"):
        assert not _overlap(popup, _rect(browser, control)), control.get_attribute("class")
