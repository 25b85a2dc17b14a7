"""The staff pages a person works in, at phone and desktop width, in Vietnamese and English:
each renders with no console error and nothing wider than the screen, and a screenshot of
each is kept (``GUIDE_SCREENSHOT_DIR``, else a temporary folder) for a person to look at."""

import base64
import os
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from sites_data.activity import ActivityLog, Unanswered
from sites_data.db import Database
from tests.api.admin.factories import PASSWORDS

WAIT_S = 15
SITE = "thap-doi"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
PAGES = {
    "site-form": f"/admin/sites/{SITE}?lang=vi",
    "revisions": f"/admin/sites/{SITE}/revisions",
    "reports": "/admin/reports",
    "site-list": "/admin",
}


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("GUIDE_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("staff-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def staff_session(browser: Chrome, live_server: str, live_database: str, staff: str) -> str:
    """Eva signed in, one edit saved (so there is a revision to read), questions to answer."""
    log = ActivityLog(Database.open(live_database))
    for sender in ("b1", "b2", "b3"):
        log.record_unanswered(
            "Tháp Đôi mở cửa buổi tối không?", "vi", Unanswered.FALLBACK, sender, SITE
        )
    log.record_unanswered("Is there a night show?", "en", Unanswered.OUT_OF_SCOPE, "b4", SITE)
    log.record_unanswered("有停车场吗", "zh", Unanswered.HANDOFF, "b5")
    browser.delete_all_cookies()
    browser.get(f"{live_server}/admin/login?ui=vi")
    browser.find_element(By.ID, "username").send_keys(staff)
    browser.find_element(By.ID, "password").send_keys(PASSWORDS[staff])
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: b.find_elements(By.CSS_SELECTOR, "table.list"))
    browser.get(f"{live_server}/admin/sites/{SITE}?lang=en&ui=vi")
    description = browser.find_element(By.ID, "description.en")
    description.send_keys(" Best seen at sunset.")
    browser.find_element(By.CSS_SELECTOR, "#site-form button.button").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".saved"))
    browser.get_log("browser")  # only what the pages below log counts
    return staff


def _too_wide(browser: Chrome, width: int) -> list[str]:
    """The innermost elements that reach past the screen's right edge, to say what to fix."""
    found: list[str] = browser.execute_script(
        """
        const wide = [...document.body.querySelectorAll('*')]
          .filter(e => e.getBoundingClientRect().right > arguments[0] + 1);
        return wide.filter(e => !wide.some(o => o !== e && e.contains(o)))
          .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + (e.id || e.name || ''));
        """,
        width,
    )
    return found


def _full_page_png(browser: Chrome, path: Path) -> None:
    width, height = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("ui", ["vi", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("page", list(PAGES))
def test_staff_page_renders_cleanly(
    browser: Chrome,
    live_server: str,
    staff_session: str,
    screenshots: Path,
    page: str,
    size: str,
    ui: str,
) -> None:
    width, height = SIZES[size]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"},
    )
    try:
        separator = "&" if "?" in PAGES[page] else "?"
        browser.get(f"{live_server}{PAGES[page]}{separator}ui={ui}")
        WebDriverWait(browser, WAIT_S).until(lambda b: b.find_elements(By.TAG_NAME, "h1"))
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == ui
        _full_page_png(browser, screenshots / f"{page}-{size}-{ui}.png")
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
        page_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert page_width <= width, (
            f"{page} is {page_width} px wide on a {width} px screen: {_too_wide(browser, width)}"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
