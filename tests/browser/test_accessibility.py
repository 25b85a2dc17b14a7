"""The tourist's pages, error pages included, pass axe-core's WCAG 2.1 A and AA rules in Chromium.

axe-core (from npm, see package.json) checks what a person with a screen reader, a keyboard or
weak eyesight meets: labelled controls, contrast, the page language, landmarks and names.
"""

from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(browser: Chrome, url: str) -> list[str]:
    browser.get(url)
    return _violations_here(browser)


def _violations_here(browser: Chrome) -> list[str]:
    """What axe finds on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci)")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations), e => done([{id: 'axe failed', help: String(e),"
        " nodes: []}]));",
        WCAG_AA,
    )
    return [
        f"{violation['id']}: {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/s/po-klong-garai?lang=en",
        "/s/thap-doi?lang=vi",
        "/s/hoa-lai?lang=ja",
        "/s/vinh-hy-bay?lang=ru",
        "/?lang=fr",
        "/map?lang=en",
        "/tours/vijaya-towers?lang=ko",
        "/screen?lang=zh&tour=phan-rang-cham-crafts",
        "/screen?lang=en&tour=nowhere",  # a tour the guide does not have
        "/s/thap-doii?lang=de",  # a mistyped key
        "/s/thap-doi?lang=th",  # a language the guide does not speak
    ],
)
def test_the_page_meets_wcag_aa(browser: Chrome, live_server: str, path: str) -> None:
    assert _violations(browser, live_server + path) == []


def test_the_opened_chat_meets_wcag_aa(browser: Chrome, live_server: str) -> None:
    browser.get(f"{live_server}/s/thap-doi?lang=ko")
    host = WebDriverWait(browser, 15).until(lambda b: b.find_element(By.ID, "heritage-guide-chat"))
    host.shadow_root.find_element(By.CSS_SELECTOR, ".launch").click()
    WebDriverWait(browser, 15).until(
        lambda _: host.shadow_root.find_elements(By.CSS_SELECTOR, ".buttons button")
    )
    assert _violations_here(browser) == []


def test_the_check_finds_what_it_is_for(browser: Chrome) -> None:
    page = "data:text/html,<html><title>x</title><main><input type=text></main></html>"
    found = {violation.split(":")[0] for violation in _violations(browser, page)}
    assert {"html-has-lang", "label"} <= found
