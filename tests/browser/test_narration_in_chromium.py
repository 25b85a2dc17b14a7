"""The QR page's narration player in headless Chromium: it loads the audio, changes speed,
and reports one play per page view, under the page's Content-Security-Policy."""

import time

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import create_engine

from sites_data.activity import ActivityLog, Counted
from sites_data.db import Database
from tests.conftest import NarratedGuide

WAIT_S = 15


def _english_plays(guide: NarratedGuide) -> int:
    counts = ActivityLog(Database(create_engine(guide.database_url))).daily_counts(Counted.PLAY)
    return sum(c.count for c in counts if (c.site_key, c.lang) == (guide.site_key, "en"))


def test_the_qr_page_plays_the_narration_at_the_chosen_speed(
    browser: Chrome, narrated_server: str, narrated_guide: NarratedGuide
) -> None:
    plays_before = _english_plays(narrated_guide)
    browser.get_log("browser")  # what earlier pages of this shared browser logged
    browser.get(f"{narrated_server}/s/{narrated_guide.site_key}?lang=en")
    audio = browser.find_element(By.ID, "narration")
    # No notice that the narration is missing (the share button's status stays hidden).
    shown = [e for e in browser.find_elements(By.CSS_SELECTOR, "[role=status]") if e.is_displayed()]
    assert shown == []
    browser.execute_script(
        "const audio = arguments[0]; window.canplayFired = false;"
        "audio.addEventListener('canplay', () => { window.canplayFired = true; });"
        "audio.muted = true; audio.play();",
        audio,
    )
    WebDriverWait(browser, WAIT_S).until(lambda b: b.execute_script("return window.canplayFired"))
    source = browser.execute_script("return arguments[0].currentSrc", audio)
    assert source.startswith(f"{narrated_server}/audio/{narrated_guide.site_key}/en/")
    duration = browser.execute_script("return arguments[0].duration", audio)
    shown = browser.find_element(By.ID, "narration-duration").text
    minutes, seconds = shown.rpartition(" ")[2].split(":")
    assert duration == pytest.approx(int(minutes) * 60 + int(seconds), abs=1)
    assert browser.find_element(By.ID, "narration-origin").text == "Synthetic voice"

    Select(browser.find_element(By.ID, "speed")).select_by_value("1.5")
    assert browser.execute_script("return arguments[0].playbackRate", audio) == 1.5
    Select(browser.find_element(By.ID, "speed")).select_by_value("0.75")
    assert browser.execute_script("return arguments[0].playbackRate", audio) == 0.75

    WebDriverWait(browser, WAIT_S).until(
        lambda _: _english_plays(narrated_guide) == plays_before + 1
    )
    # Pausing, going back to the start and playing again is the same page view; downloading
    # the file counts nothing.
    browser.execute_script(
        "const audio = arguments[0]; audio.pause(); audio.currentTime = 0; audio.play();"
        "return fetch(audio.currentSrc, {cache: 'no-store'}).then(r => r.arrayBuffer());",
        audio,
    )
    time.sleep(1)
    assert _english_plays(narrated_guide) == plays_before + 1
    problems = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert problems == []

    # A new page view is a new play.
    browser.refresh()
    browser.execute_script(
        "const a = document.getElementById('narration'); a.muted = true; a.play();"
    )
    WebDriverWait(browser, WAIT_S).until(
        lambda _: _english_plays(narrated_guide) == plays_before + 2
    )
