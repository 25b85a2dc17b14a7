"""Photos in headless Chromium: staff upload them through the site's page, the QR page shows
them at phone size, and the virtual tour leads from one stop's panorama to the next.

Screenshots are kept (``GUIDE_SCREENSHOT_DIR``, else a temporary folder) for a person to look
at; the tests make their own images with Pillow."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api.settings import Settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore
from tests.api.admin.factories import PASSWORDS, make_staff
from tests.browser.conftest import serving
from tests.browser.test_accessibility import _violations, _violations_here
from tests.browser.test_staff_pages_in_chromium import _full_page_png
from tests.fake_rasa import FakeRasa
from tests.photo_factories import image_bytes, phone_jpeg

WAIT_S = 20
PHONE = (390, 844)


@pytest.fixture(scope="module")
def photo_server(tmp_path_factory: pytest.TempPathFactory, rasa: FakeRasa) -> Iterator[str]:
    """The guide with the shipped sites and an editor, keeping photos in a folder of its own."""
    folder = tmp_path_factory.mktemp("photo-guide")
    database = f"sqlite:///{folder / 'guide.db'}"
    engine = make_engine(database)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    engine.dispose()
    make_staff(database)
    settings = Settings(
        database_url=database,
        rasa_url=rasa.url,
        photo_dir=str(folder / "photos"),
        cache_dir=str(folder / "cache"),
    )
    with serving(settings) as url:
        yield url


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    made = {
        "phone.jpg": phone_jpeg(1200, 900),
        "tower-panorama.jpg": image_bytes(2400, 1200, "JPEG", quality=85),
        "hill-panorama.jpg": image_bytes(2400, 1200, "JPEG", quality=85),
    }
    for name, content in made.items():
        (folder / name).write_bytes(content)
    return {name: folder / name for name in made}


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("GUIDE_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("photo-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser: Chrome, server: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{server}/admin/login?ui=en")
    browser.find_element(By.ID, "username").send_keys("eva")
    browser.find_element(By.ID, "password").send_keys(PASSWORDS["eva"])
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: b.find_elements(By.CSS_SELECTOR, "table.list"))


def _upload_on_the_staff_page(
    browser: Chrome, server: str, key: str, image: Path, alt: str, expect_panorama: bool
) -> None:
    browser.get(f"{server}/admin/sites/{key}?lang=en&ui=en")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=photo-add-title]")
    form.find_element(By.NAME, "photo").send_keys(str(image))
    # The page reads the chosen file's shape and says whether it is a 360° panorama.
    radio = f"input[name=panorama][value={'true' if expect_panorama else 'false'}]"
    WebDriverWait(browser, WAIT_S).until(
        lambda _: form.find_element(By.CSS_SELECTOR, radio).is_selected()
    )
    notice = form.find_element(By.CSS_SELECTOR, ".panorama-detected")
    assert notice.is_displayed() == expect_panorama
    form.find_element(By.NAME, "credit").send_keys("Lê Văn Ảnh, Sở Du lịch")
    form.find_element(By.NAME, "licence").send_keys("CC BY 4.0")
    form.find_element(By.NAME, "alt_en").send_keys(alt)
    form.find_element(By.NAME, "alt_fr").send_keys(f"{alt} (fr)")
    form.find_element(By.CSS_SELECTOR, "button.button").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: "saved=1" in b.current_url)


def test_staff_upload_a_photo_and_the_qr_page_shows_it_at_phone_size(
    browser: Chrome, photo_server: str, images: dict[str, Path], screenshots: Path
) -> None:
    _sign_in(browser, photo_server)
    _upload_on_the_staff_page(
        browser, photo_server, "thap-doi", images["phone.jpg"], "The towers at dawn", False
    )
    listed = browser.find_elements(By.CSS_SELECTOR, "#photos li.photo")
    assert len(listed) == 1 and "The towers at dawn" in listed[0].text
    browser.get_log("browser")

    width, height = PHONE
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        browser.get(f"{photo_server}/s/thap-doi?lang=fr")
        image = browser.find_element(By.CSS_SELECTOR, ".gallery img")
        browser.execute_script("arguments[0].scrollIntoView()", image)
        WebDriverWait(browser, WAIT_S).until(
            lambda b: b.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth", image
            )
        )
        assert image.get_attribute("loading") == "lazy"
        assert image.get_attribute("alt") == "The towers at dawn (fr)"
        # Chromium picks the WebP source, at the size a 2× phone screen needs.
        assert image.get_property("currentSrc").endswith(".webp")
        assert (
            "Lê Văn Ảnh, Sở Du lịch (CC BY 4.0)"
            in browser.find_element(By.CSS_SELECTOR, ".gallery figcaption").text
        )
        shown = browser.execute_script("return arguments[0].getBoundingClientRect().width", image)
        assert shown <= width
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        browser.execute_script("window.scrollTo(0, 0)")
        _full_page_png(browser, screenshots / "qr-page-with-photo-phone.png")
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_a_site_without_photos_has_no_gallery(browser: Chrome, photo_server: str) -> None:
    browser.get(f"{photo_server}/s/po-rome?lang=en")
    assert browser.find_elements(By.CSS_SELECTOR, ".gallery") == []
    assert browser.find_elements(By.CSS_SELECTOR, "link[href='/static/photos.css']") == []
    assert browser.find_element(By.TAG_NAME, "h1").text


def test_the_virtual_tour_leads_from_one_stops_panorama_to_the_next(
    browser: Chrome, photo_server: str, images: dict[str, Path], screenshots: Path
) -> None:
    _sign_in(browser, photo_server)
    for key, name in (("thap-doi", "tower-panorama.jpg"), ("banh-it", "hill-panorama.jpg")):
        _upload_on_the_staff_page(browser, photo_server, key, images[name], f"360° at {key}", True)
    browser.get(f"{photo_server}/s/thap-doi?lang=en")
    browser.find_element(By.CSS_SELECTOR, "a.view-360").click()
    tour = browser.find_element(By.PARTIAL_LINK_TEXT, "Virtual tour: The Vijaya Cham towers")
    browser.get_log("browser")
    tour.click()
    viewer = browser.find_element(By.ID, "panorama")
    WebDriverWait(browser, WAIT_S).until(lambda _: viewer.get_attribute("data-loaded"))
    assert viewer.get_attribute("data-scene").startswith("thap-doi-")
    assert browser.find_elements(By.CSS_SELECTOR, "#panorama canvas"), "Pannellum draws on a canvas"
    following = browser.find_element(By.ID, "next-scene")
    assert following.text == "Next stop: Bánh Ít Towers (Silver Towers)"
    assert not browser.find_element(By.ID, "previous-scene").is_displayed()
    _full_page_png(browser, screenshots / "virtual-tour.png")
    following.click()
    WebDriverWait(browser, WAIT_S).until(
        lambda _: viewer.get_attribute(
            "data-loaded",
        ).startswith("banh-it-")
    )
    assert browser.find_element(By.ID, "previous-scene").text.startswith(
        "Previous stop: Twin Towers"
    )
    assert not browser.find_element(By.ID, "next-scene").is_displayed()
    assert viewer.get_attribute("aria-label") == "360° at banh-it"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_the_staff_pages_photos_fit_a_phone(
    browser: Chrome, photo_server: str, images: dict[str, Path], screenshots: Path
) -> None:
    _sign_in(browser, photo_server)
    _upload_on_the_staff_page(
        browser, photo_server, "po-klong-garai", images["phone.jpg"], "The main tower", False
    )
    width, height = PHONE
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        browser.get(f"{photo_server}/admin/sites/po-klong-garai?lang=en&ui=vi")
        photos = browser.find_element(By.ID, "photos")
        browser.execute_script("arguments[0].scrollIntoView()", photos)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        shot = photos.screenshot_as_png
        (screenshots / "staff-photos-phone.png").write_bytes(shot)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_gallery_and_the_virtual_tour_meet_wcag_aa_and_fit_a_phone(
    browser: Chrome, photo_server: str, images: dict[str, Path], screenshots: Path
) -> None:
    _sign_in(browser, photo_server)
    for key, name in (("bau-truc", "tower-panorama.jpg"), ("my-nghiep", "hill-panorama.jpg")):
        _upload_on_the_staff_page(browser, photo_server, key, images[name], f"360° at {key}", True)
    assert _violations(browser, f"{photo_server}/s/bau-truc?lang=vi") == []
    browser.get(f"{photo_server}/tours/phan-rang-cham-crafts/360?lang=en")
    viewer = browser.find_element(By.ID, "panorama")
    WebDriverWait(browser, WAIT_S).until(lambda _: viewer.get_attribute("data-loaded"))
    assert _violations_here(browser) == []
    width, height = PHONE
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        for name, path in (
            ("qr-page-panoramas-phone", "/s/bau-truc?lang=vi"),
            ("virtual-tour-phone", "/tours/phan-rang-cham-crafts/360?lang=vi&start=my-nghiep"),
        ):
            browser.get(photo_server + path)
            if "tours" in path:
                WebDriverWait(browser, WAIT_S).until(
                    lambda b: b.find_element(By.ID, "panorama").get_attribute("data-loaded")
                )
            else:
                gallery = browser.find_element(By.CSS_SELECTOR, ".gallery")
                browser.execute_script("arguments[0].scrollIntoView()", gallery)
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width
            if "tours" in path:  # the viewer's own messages are in the page's language too
                strings = "return JSON.parse(document.getElementById('scenes').textContent).strings"
                assert browser.execute_script(strings)["loadingLabel"] == "Đang tải…"
            browser.save_screenshot(str(screenshots / f"{name}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
