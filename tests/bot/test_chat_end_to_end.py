"""The whole assistant: the trained model in a real Rasa server, the real action server,
and the guide's POST /api/chat, asked in several languages; replies are checked against
the knowledge base."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from bench import servers
from bot.cli import MODELS_DIR, RASA
from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.schema import Site
from sites_data.store import SiteStore

# Generous: the first messages of a fresh Rasa server on a busy two-core machine are slow.
CHAT_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def shipped_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def chat(
    shipped_database: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    if not RASA.exists() or not any(MODELS_DIR.glob("*.tar.gz")):
        pytest.fail("Rasa or its trained model is missing: run `make setup`")
    logs = tmp_path_factory.mktemp("logs")
    database_url = str(shipped_database.url.render_as_string(hide_password=False))
    with servers.assistant(database_url, logs) as rasa_url:
        settings = Settings(
            database_url=database_url, rasa_url=rasa_url, chat_timeout_s=CHAT_TIMEOUT_S
        )
        with TestClient(create_app(settings)) as client:
            yield client


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return {site.key: site for site in read_site_files()}


def _text(site: Site, field: str, lang: str) -> str:
    found = site.text(field, lang)
    assert found is not None and found[0] == lang, (site.key, field, lang)
    return found[1].text


def ask(chat: TestClient, sender: str, message: str, **extra: Any) -> tuple[str, str, list[Any]]:
    """The reply's language, all its text, and its links."""
    response = chat.post("/api/chat", json={"sender": sender, "message": message, **extra})
    assert response.status_code == 200, response.text
    reply = response.json()
    text = "\n".join(message["text"] for message in reply["messages"])
    links = [link for message in reply["messages"] for link in message["links"] or []]
    return reply["lang"], text, links


def test_vietnamese_opening_hours_say_they_are_unknown(
    chat: TestClient, sites: dict[str, Site]
) -> None:
    site = sites["thap-doi"]
    assert site.opening_hours.status == "unknown"
    lang, text, _ = ask(chat, "vi-1", "Tháp Đôi mở cửa mấy giờ?", lang="en")
    assert lang == "vi"
    assert "Tháp Đôi" in text
    assert "chưa được xác nhận" in text
    assert _text(site, "opening_hours.note", "vi") in text


def test_vietnamese_without_diacritics_and_a_follow_up(
    chat: TestClient, sites: dict[str, Site]
) -> None:
    lang, text, _ = ask(chat, "vi-2", "gio mo cua thap banh it", lang="en")
    assert lang == "vi"
    assert sites["banh-it"].names["vi"] in text
    lang, text, _ = ask(chat, "vi-2", "con ve vao cong bao nhieu tien", lang="en")
    assert lang == "vi"
    tickets = sites["banh-it"].tickets
    assert tickets.status == "reported"  # published by others: each with its source and date
    for version in tickets.reported:
        assert f"theo {version.source.title} ({version.source.url}), đọc ngày" in text
    assert "chưa được xác nhận với điểm đến" in text


def test_english_tickets_come_from_the_knowledge_base(
    chat: TestClient, sites: dict[str, Site]
) -> None:
    site = sites["po-klong-garai"]
    lang, text, _ = ask(chat, "en-1", "How much is the ticket for Po Klong Garai?", lang="vi")
    assert lang == "en"
    assert site.names["en"] in text
    assert "Not confirmed with the site." in text
    for version in site.tickets.reported:
        assert f"according to {version.source.title}" in text
    assert _text(site, "tickets.note", "en") in text


def test_french_directions_link_to_the_coordinates(
    chat: TestClient, sites: dict[str, Site]
) -> None:
    site = sites["ky-co"]
    lang, text, links = ask(chat, "fr-1", "Comment aller à la plage de Ky Co ?", lang="en")
    assert lang == "fr"
    assert site.names["fr"] in text
    assert site.address["fr"].text in text
    urls = [link["url"] for link in links]
    assert f"destination={site.location.lat:.4f},{site.location.lon:.4f}" in urls[0]
    assert urls[1] == "/map?site=ky-co&lang=fr"


def test_german_nearby_then_tickets_of_the_same_place(
    chat: TestClient, sites: dict[str, Site]
) -> None:
    catalogue_sites = list(sites.values())
    here = sites["po-klong-garai"]
    nearest = min(
        (site for site in catalogue_sites if site.key != here.key),
        key=lambda site: (
            (site.location.lat - here.location.lat) ** 2
            + (site.location.lon - here.location.lon) ** 2
        ),
    )
    lang, text, _ = ask(chat, "de-1", "Was gibt es in der Nähe von Po Klong Garai?", lang="en")
    assert lang == "de"
    assert nearest.names["de"] in text
    lang, text, _ = ask(chat, "de-1", "Und was kostet der Eintritt?", lang="de")
    assert lang == "de"
    assert here.names["de"] in text
    assert "Nicht mit dem Ort bestätigt." in text
    assert _text(here, "tickets.note", "de") in text


@pytest.mark.parametrize(
    ("lang", "message", "key", "expected"),
    [
        ("zh", "双塔门票多少钱？", "thap-doi", "尚未向景点核实"),  # noqa: RUF001
        ("ko", "포끌롱가라이 가는 길 알려 주세요", "po-klong-garai", "좌표"),
        ("ja", "銀の塔は何時に開きますか", "banh-it", "開館時間"),
        ("ru", "расскажите про бухту Виньхи", "vinh-hy-bay", ""),
    ],
)
def test_asian_and_russian_questions_are_answered_in_their_language(
    chat: TestClient, sites: dict[str, Site], lang: str, message: str, key: str, expected: str
) -> None:
    reply_lang, text, _ = ask(chat, f"{lang}-1", message, lang="en")
    assert reply_lang == lang
    assert sites[key].names[lang] in text
    assert expected in text


def test_a_day_in_a_town_starts_in_its_province(chat: TestClient, sites: dict[str, Site]) -> None:
    lang, text, _ = ask(chat, "en-3", "plan my day in Phan Rang", lang="en")
    assert lang == "en"
    first_stop = text.split("in this order: ", 1)[1].split(" → ", 1)[0]
    [start] = [site for site in sites.values() if site.names["en"] == first_stop]
    assert start.province.former == "Ninh Thuận"


def test_the_page_site_is_the_context(chat: TestClient, sites: dict[str, Site]) -> None:
    lang, text, links = ask(chat, "en-2", "play the narration", lang="en", site="po-rome")
    assert lang == "en"
    assert sites["po-rome"].names["en"] in text
    assert {"title": "Listen to and read the story", "url": "/s/po-rome?lang=en"} in links


def test_questions_it_cannot_answer_are_recorded(
    chat: TestClient, shipped_database: Engine
) -> None:
    lang, text, _ = ask(chat, "fr-2", "Quel temps fera-t-il demain à Quy Nhon ?", lang="en")
    assert lang == "fr"
    assert "météo" in text
    recorded = [
        (q.text, q.lang, q.reason) for q in ActivityLog(Database(shipped_database)).questions()
    ]
    assert ("Quel temps fera-t-il demain à Quy Nhon ?", "fr", Unanswered.OUT_OF_SCOPE) in recorded


def test_conversations_are_counted_per_language(chat: TestClient, shipped_database: Engine) -> None:
    for sender, greeting in (("count-vi", "xin chào"), ("count-de", "Guten Morgen")):
        ask(chat, sender, greeting, lang="en")
    counted = {
        count.lang
        for count in ActivityLog(Database(shipped_database)).daily_counts(Counted.CONVERSATION)
    }
    assert {"vi", "de"} <= counted
