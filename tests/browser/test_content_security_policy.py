"""Every page works in Chromium under its Content-Security-Policy, which Chromium enforces."""

from typing import Any

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.admin.factories import PASSWORDS
from tests.fake_rasa import FakeRasa

WAIT_S = 15
VIOLATION = "Content Security Policy"


def _violations(browser: Chrome) -> list[str]:
    entries: list[dict[str, Any]] = browser.get_log("browser")  # type: ignore[no-untyped-call]
    return [entry["message"] for entry in entries if VIOLATION in entry["message"]]


def _open(browser: Chrome, url: str) -> None:
    _violations(browser)  # forget the previous page's messages
    browser.get(url)


def _injected_script_runs(browser: Chrome) -> bool:
    """Whether a script added to the page as markup would run (an injection's way in)."""
    ran: bool = browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.injected = true';"
        "document.body.appendChild(s); return window.injected === true;"
    )
    blocked = _violations(browser)
    assert ran or blocked, "a blocked script is reported"
    return ran


def test_the_map_draws_its_markers(browser: Chrome, live_server: str) -> None:
    _open(browser, f"{live_server}/map?lang=en")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.execute_script("return !!window.heritageGuide")
    )
    assert browser.execute_script("return heritageGuide.siteKeys().length") > 10
    assert browser.find_elements(By.CSS_SELECTOR, ".site-marker, .marker-cluster")
    assert _violations(browser) == []
    assert not _injected_script_runs(browser)


def test_the_home_page_shows_the_map_and_the_chat(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _open(browser, f"{live_server}/?lang=en")
    browser.execute_script("localStorage.clear()")
    host = WebDriverWait(browser, WAIT_S).until(
        lambda b: b.find_element(By.ID, "heritage-guide-chat")
    )
    root = host.shadow_root
    root.find_element(By.CSS_SELECTOR, ".launch").click()
    field = WebDriverWait(browser, WAIT_S).until(
        lambda _: root.find_element(By.CSS_SELECTOR, "input")
    )
    field.send_keys("xin chào")
    root.find_element(By.CSS_SELECTOR, ".send").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda _: any(
            "You said: xin chào" in bubble.text
            for bubble in root.find_elements(By.CSS_SELECTOR, ".msg")
        )
    )
    frame = browser.find_element(By.ID, "map-frame")
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, WAIT_S).until(
            lambda b: b.execute_script("return !!window.heritageGuide")
        )
    finally:
        browser.switch_to.default_content()
    assert _violations(browser) == []
    assert not _injected_script_runs(browser)


def test_the_qr_page_is_styled_and_has_the_chat(browser: Chrome, live_server: str) -> None:
    _open(browser, f"{live_server}/s/po-klong-garai?lang=en")
    WebDriverWait(browser, WAIT_S).until(lambda b: b.find_element(By.ID, "heritage-guide-chat"))
    stylesheet_applied = browser.execute_script(
        "return document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"
    )
    assert stylesheet_applied
    assert _violations(browser) == []
    assert not _injected_script_runs(browser)


def test_the_staff_pages_work(browser: Chrome, live_server: str, staff: str) -> None:
    browser.delete_all_cookies()
    _open(browser, f"{live_server}/admin/login?ui=en")
    browser.find_element(By.ID, "username").send_keys(staff)
    browser.find_element(By.ID, "password").send_keys(PASSWORDS[staff])
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: "/admin/login" not in b.current_url)
    for page in ("/admin?ui=en", "/admin/sites/cu-lao-xanh?lang=en&ui=en", "/admin/reports"):
        browser.get(f"{live_server}{page}")
        assert browser.find_elements(By.TAG_NAME, "main"), page
        violations = _violations(browser)
        assert violations == [], (page, violations)
        assert not _injected_script_runs(browser), page


def test_the_api_documentation_works_from_the_guide_alone(
    browser: Chrome, live_server: str
) -> None:
    _open(browser, f"{live_server}/docs")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock-summary")
    )
    assert "/api/chat" in browser.find_element(By.CSS_SELECTOR, ".swagger-ui").text
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
    )
    assert loaded and all(url.startswith(live_server) for url in loaded), loaded
    assert _violations(browser) == []
    assert not _injected_script_runs(browser)
