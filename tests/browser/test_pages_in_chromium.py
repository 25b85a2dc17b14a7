"""The tourist's pages in headless Chromium: the QR page, the chat widget, injection attempts."""

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from api.ui import UiText
from tests.fake_rasa import FakeRasa

WAIT_S = 15


def _widget(browser: Chrome) -> WebElement:
    host = WebDriverWait(browser, WAIT_S).until(
        lambda b: b.find_element(By.ID, "heritage-guide-chat")
    )
    return host


def _shadow(browser: Chrome, selector: str) -> WebElement:
    root = _widget(browser).shadow_root
    return WebDriverWait(browser, WAIT_S).until(
        lambda _: root.find_element(By.CSS_SELECTOR, selector)
    )


def _bubbles(browser: Chrome) -> list[str]:
    """The text of each chat bubble (without its buttons and links)."""
    root = _widget(browser).shadow_root
    return [
        browser.execute_script("return arguments[0].firstChild.textContent", bubble)
        for bubble in root.find_elements(By.CSS_SELECTOR, ".msg")
    ]


def _send(browser: Chrome, text: str) -> None:
    field = _shadow(browser, "input")
    field.send_keys(text)
    _shadow(browser, ".send").click()


def _fresh(browser: Chrome, url: str) -> None:
    browser.get(url)
    browser.execute_script("localStorage.clear()")
    browser.get(url)


def test_the_qr_page_reads_and_says_when_audio_is_missing(
    browser: Chrome, live_server: str
) -> None:
    browser.get(f"{live_server}/s/po-klong-garai?lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Po Klong Garai Cham Towers"
    assert "Katê" in browser.find_element(By.CLASS_NAME, "transcript").text
    assert "is being prepared" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text


def test_the_widget_sends_a_message_and_shows_the_reply(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _fresh(browser, f"{live_server}/?lang=en")
    _shadow(browser, ".launch").click()
    _send(browser, "When does Tháp Đôi open?")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: "You said: When does Tháp Đôi open?" in _bubbles(b)
    )
    assert rasa.received[-1]["metadata"]["lang"] == "en"
    root = _widget(browser).shadow_root
    assert root.find_elements(By.CSS_SELECTOR, ".buttons button")[-1].text == "Opening hours"


def test_the_ask_button_opens_the_chat_about_this_site(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _fresh(browser, f"{live_server}/s/hoa-lai?lang=de")
    browser.find_element(By.ID, "ask").click()
    _send(browser, "Wie alt?")
    WebDriverWait(browser, WAIT_S).until(lambda b: "You said: Wie alt?" in _bubbles(b))
    assert rasa.received[-1]["metadata"] == {"lang": "de", "site": "hoa-lai"}


def test_the_conversation_survives_a_reload(browser: Chrome, live_server: str) -> None:
    _fresh(browser, f"{live_server}/?lang=en")
    _shadow(browser, ".launch").click()
    _send(browser, "remember me")
    WebDriverWait(browser, WAIT_S).until(lambda b: "You said: remember me" in _bubbles(b))
    browser.refresh()
    WebDriverWait(browser, WAIT_S).until(lambda b: "You said: remember me" in _bubbles(b))


def test_script_injection_in_the_chat_shows_as_text(browser: Chrome, live_server: str) -> None:
    attack = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
    _fresh(browser, f"{live_server}/?lang=en")
    _shadow(browser, ".launch").click()
    _send(browser, attack)
    WebDriverWait(browser, WAIT_S).until(lambda b: f"You said: {attack}" in _bubbles(b))
    root = _widget(browser).shadow_root
    assert attack in _bubbles(browser)
    assert root.find_elements(By.CSS_SELECTOR, ".log img, .log script") == []
    assert browser.title != "pwned"


def test_an_unavailable_assistant_gets_a_polite_message(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _fresh(browser, f"{live_server}/?lang=fr")
    _shadow(browser, ".launch").click()
    rasa.delay_s = 4.0
    try:
        _send(browser, "bonjour")
        WebDriverWait(browser, WAIT_S).until(
            lambda b: any("pas disponible" in text for text in _bubbles(b))
        )
    finally:
        rasa.delay_s = 0.0


def test_the_share_button_offers_the_page_address(browser: Chrome, live_server: str) -> None:
    browser.get(f"{live_server}/s/thap-doi?lang=ko")
    page = f"{live_server}/s/thap-doi/ko"  # the page's own address, the same for everyone
    assert browser.current_url == page
    share = browser.find_element(By.ID, "share")
    # The address visitors reach the guide by (GUIDE_PUBLIC_BASE_URL), as in the QR code.
    public = browser.find_element(By.CSS_SELECTOR, "link[rel=canonical]").get_attribute("href")
    assert public and public.endswith("/s/thap-doi/ko")
    assert share.get_attribute("href") == public
    # Where the browser has a share sheet, the page's address goes to it...
    browser.execute_script(
        "navigator.share = function (data) { window.shared = data; return Promise.resolve(); };"
    )
    share.click()
    shared = WebDriverWait(browser, WAIT_S).until(
        lambda b: b.execute_script("return window.shared")
    )
    assert shared["url"] == public
    assert shared["title"] == browser.find_element(By.TAG_NAME, "h1").text
    # ...elsewhere it is copied, or shown to copy by hand, and the visitor stays on the page.
    browser.execute_script("navigator.share = undefined;")
    share.click()
    status = browser.find_element(By.ID, "share-status")
    WebDriverWait(browser, WAIT_S).until(lambda _: status.is_displayed())
    assert status.text in {"링크가 복사되었습니다.", public}
    assert browser.current_url == page


def _panel_open(browser: Chrome) -> bool:
    return bool(_shadow(browser, ".panel").is_displayed())


def test_the_widget_opens_only_when_asked_and_greets_with_questions(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _fresh(browser, f"{live_server}/s/hoa-lai?lang=de")
    assert not _panel_open(browser)
    _shadow(browser, ".launch").click()
    assert _panel_open(browser)
    greeting = _bubbles(browser)[-1]
    assert greeting == "Hallo! Fragen Sie mich alles über diesen Ort, oder wählen Sie eine Frage:"
    root = _widget(browser).shadow_root
    questions = [b.text for b in root.find_elements(By.CSS_SELECTOR, ".buttons button")]
    assert questions == [
        "Wann ist geöffnet?",
        "Was kostet der Eintritt?",
        "Wie komme ich hin?",
        "Was gibt es in der Nähe?",
    ]
    # Nothing raises the phone's keyboard: the text field waits until the visitor taps it.
    focused = browser.execute_script("return arguments[0].activeElement", root)
    assert focused is None or focused.tag_name != "input"

    root.find_elements(By.CSS_SELECTOR, ".buttons button")[0].click()
    WebDriverWait(browser, WAIT_S).until(lambda b: "Wann ist geöffnet?" in _bubbles(b))
    WebDriverWait(browser, WAIT_S).until(
        lambda _: rasa.received[-1]["message"] == '/ask_hours{"site":"hoa-lai"}'
    )
    assert rasa.received[-1]["metadata"] == {"lang": "de", "site": "hoa-lai"}

    # The next site's page opens with the chat closed, the conversation kept.
    browser.get(f"{live_server}/s/po-klong-garai?lang=de")
    WebDriverWait(browser, WAIT_S).until(lambda b: "Wann ist geöffnet?" in _bubbles(b))
    assert not _panel_open(browser)


def test_the_home_page_suggests_questions_about_the_whole_guide(
    browser: Chrome, live_server: str
) -> None:
    _fresh(browser, f"{live_server}/?lang=ja")
    _shadow(browser, ".launch").click()
    root = _widget(browser).shadow_root
    questions = [b.text for b in root.find_elements(By.CSS_SELECTOR, ".buttons button")]
    japanese = UiText("ja")
    assert questions == [
        japanese(name) for name in ("suggest_plan_day", "suggest_recommend", "suggest_festivals")
    ]


def test_an_unavailable_assistant_points_to_what_the_page_offers(
    browser: Chrome, live_server: str, rasa: FakeRasa
) -> None:
    _fresh(browser, f"{live_server}/s/po-klong-garai?lang=fr")
    _shadow(browser, ".launch").click()
    rasa.delay_s = 4.0
    try:
        _send(browser, "bonjour")
        offers = WebDriverWait(browser, WAIT_S).until(
            lambda _: _widget(browser).shadow_root.find_elements(By.CSS_SELECTOR, ".error a")
        )
    finally:
        rasa.delay_s = 0.0
    said = _bubbles(browser)[-1]
    assert "pas disponible" in said and "la page elle-même propose" in said
    assert [(a.text, a.get_attribute("href")) for a in offers] == [
        ("Écouter le récit", f"{live_server}/s/po-klong-garai/fr#listen-title"),
        ("Horaires et billets", f"{live_server}/s/po-klong-garai/fr#hours-title"),
        ("Voir sur la carte", f"{live_server}/map/fr?site=po-klong-garai"),
    ]
    # A part of this page is behind the chat on a phone: following the link shows it.
    offers[1].click()
    assert not _panel_open(browser)
