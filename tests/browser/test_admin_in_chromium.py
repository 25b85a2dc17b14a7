"""A staff member signs in and saves a field, in headless Chromium."""

from urllib.parse import quote

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.admin.factories import PASSWORDS

WAIT_S = 15
NOTE = "Staff note: the ferry leaves from Quy Nhơn <b>harbour</b>."


def test_sign_in_and_save_a_field(browser: Chrome, live_server: str, staff: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{live_server}/admin/sites/cu-lao-xanh?lang=en&ui=en")
    WebDriverWait(browser, WAIT_S).until(lambda b: "/admin/login" in b.current_url)
    assert quote("/admin/sites/cu-lao-xanh", safe="/") in browser.current_url
    browser.find_element(By.ID, "username").send_keys(staff)
    browser.find_element(By.ID, "password").send_keys(PASSWORDS[staff])
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(lambda b: b.find_elements(By.ID, "site-form"))
    assert browser.find_element(By.ID, "names.en").get_attribute("value")

    notes = browser.find_element(By.ID, "notes")
    notes.send_keys("\n" + NOTE)
    browser.find_element(By.CSS_SELECTOR, "#site-form button.button").click()
    status = WebDriverWait(browser, WAIT_S).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".saved[role=status]")
    )
    assert status.text.startswith("Saved as revision")

    browser.get(f"{live_server}/s/cu-lao-xanh?lang=en")
    notes_list = browser.find_element(By.CSS_SELECTOR, "details ul[lang=en]")
    browser.execute_script("arguments[0].parentElement.open = true", notes_list)
    assert NOTE in notes_list.text  # shown as text, markup and all
    assert not notes_list.find_elements(By.TAG_NAME, "b")
