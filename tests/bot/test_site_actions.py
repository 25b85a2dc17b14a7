"""Questions about one site, answered from the knowledge base (real Tracker, real database)."""

from typing import Any

import pytest
from sqlalchemy import Engine

from bot.actions.site_actions import (
    ActionPlayNarration,
    ActionSiteAbout,
    ActionSiteDirections,
    ActionSiteFollowup,
    ActionSiteHistory,
    ActionSiteHours,
    ActionSiteNearby,
    ActionSiteTickets,
)
from sites_data.db import Database
from sites_data.store import SiteStore
from tests.bot.conftest import NAMES
from tests.bot.running import run_action
from tests.factories import human_texts, make_site, make_tracker, site_document

pytestmark = pytest.mark.usefixtures("knowledge_engine")


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [message["response"] for message in messages]


def test_regular_hours_are_written_in_the_visitors_language() -> None:
    tracker = make_tracker(
        "horaires ?",
        "ask_hours",
        slots={"site": "test-tower", "language": "fr", "pending_topic": "hours"},
    )
    messages, events = run_action(ActionSiteHours(), tracker)
    assert messages == [
        {
            **messages[0],
            "response": "utter_hours_regular",
            "site_name": "Tour d'essai",
            "periods": "lundi, mardi 07:00–17:00",
        }
    ]
    assert events == [
        {"event": "slot", "timestamp": None, "name": "pending_topic", "value": None},
        {"event": "slot", "timestamp": None, "name": "last_topic", "value": "hours"},
    ]
    # Slots already so are not set again: Rasa stores every event of the conversation.
    tracker = make_tracker(
        "horaires ?", "ask_hours", slots={"site": "test-tower", "last_topic": "hours"}
    )
    assert run_action(ActionSiteHours(), tracker)[1] == []


def test_unknown_hours_are_said_to_be_unknown_with_the_note() -> None:
    tracker = make_tracker("opening hours?", "ask_hours", slots={"site": "test-museum"})
    messages, _ = run_action(ActionSiteHours(), tracker)
    assert responses(messages) == ["utter_hours_unknown", "utter_note"]
    assert messages[0]["site_name"] == "Test Museum"
    assert messages[1]["note"] == "Ask the museum office."


def test_open_places_and_free_entry() -> None:
    tracker = make_tracker("hours", "ask_hours", slots={"site": "test-beach"})
    assert responses(run_action(ActionSiteHours(), tracker)[0]) == ["utter_hours_open_access"]
    tracker = make_tracker("price", "ask_tickets", slots={"site": "test-beach"})
    assert responses(run_action(ActionSiteTickets(), tracker)[0]) == ["utter_tickets_free"]


def test_prices_come_with_their_as_of_date_and_local_number_format() -> None:
    tracker = make_tracker(
        "Eintritt?", "ask_tickets", slots={"site": "test-tower", "language": "de"}
    )
    messages, _ = run_action(ActionSiteTickets(), tracker)
    assert responses(messages) == ["utter_tickets_priced"]
    assert messages[0]["prices"] == "Erwachsene: 20.000 VND"
    assert messages[0]["as_of"] == "2025-01-01"


def test_unknown_prices_are_never_invented() -> None:
    tracker = make_tracker("how much?", "ask_tickets", slots={"site": "test-museum"})
    messages, _ = run_action(ActionSiteTickets(), tracker)
    assert responses(messages) == ["utter_tickets_unknown", "utter_note"]
    assert "prices" not in messages[0]
    assert messages[1]["note"] == "No official price was published."


def test_without_a_site_the_question_waits_for_one() -> None:
    tracker = make_tracker("how much is the ticket?", "ask_tickets")
    messages, events = run_action(ActionSiteTickets(), tracker)
    assert responses(messages) == ["utter_ask_site"]
    assert events == [
        {"event": "slot", "timestamp": None, "name": "pending_topic", "value": "tickets"}
    ]

    answer = make_tracker(
        "Test Tower", "inform", slots={"site": "test-tower", "pending_topic": "tickets"}
    )
    messages, events = run_action(ActionSiteFollowup(), answer)
    assert responses(messages) == ["utter_tickets_priced"]
    assert events[0]["name"] == "pending_topic"
    assert events[0]["value"] is None


def test_a_place_name_alone_presents_the_place() -> None:
    tracker = make_tracker("Test Tower", "inform", slots={"site": "test-tower"})
    messages, _ = run_action(ActionSiteFollowup(), tracker)
    assert responses(messages) == ["utter_about", "utter_links_story"]
    assert messages[0]["description"] == "A tower for tests."


def test_text_missing_in_a_language_comes_in_english_and_says_so() -> None:
    tracker = make_tracker("이곳은?", "ask_about", slots={"site": "test-tower", "language": "ko"})
    messages, _ = run_action(ActionSiteAbout(), tracker)
    # The links go with the text; the notice comes last.
    assert responses(messages) == [
        "utter_about",
        "utter_links_story",
        "utter_text_in_other_language",
    ]
    assert messages[0]["site_name"] == "테스트 탑"
    assert messages[0]["description"] == "A tower for tests."
    assert messages[1]["site"] == "test-tower"
    assert messages[2]["text_language"] == "영어"


def test_history_is_the_dated_part_of_the_narration(knowledge_engine: Engine) -> None:
    tracker = make_tracker("history", "ask_history", slots={"site": "test-tower", "language": "vi"})
    messages, _ = run_action(ActionSiteHistory(), tracker)
    assert responses(messages) == ["utter_history", "utter_links_story"]
    # The test narration has no dates: the description stands in for it.
    assert messages[0]["history"] == "Một tháp để kiểm thử."


def test_directions_give_the_address_and_map_links() -> None:
    tracker = make_tracker("where is it", "ask_directions", slots={"site": "test-tower"})
    messages, _ = run_action(ActionSiteDirections(), tracker)
    assert (messages[0]["response"], messages[-1]["response"]) == (
        "utter_directions",
        "utter_links_way",
    )
    assert messages[0]["address"] == "Quy Nhơn"
    assert (messages[-1]["lat"], messages[-1]["lon"]) == ("13.7800", "109.2100")
    assert messages[-1]["site"] == "test-tower"
    # No source gives the road: the nearest town and airport, in a straight line.
    between = [message["text"] for message in messages[1:-1]]
    assert between[0].startswith("Quy Nhơn city centre → Test Tower: ")
    assert all("in a straight line (not the distance by road)" in line for line in between)


def test_nearby_sites_nearest_first_with_distances_and_buttons() -> None:
    tracker = make_tracker("what is nearby", "ask_nearby", slots={"site": "test-tower"})
    messages, _ = run_action(ActionSiteNearby(), tracker)
    assert responses(messages) == ["utter_nearby"]
    assert messages[0]["nearby"] == "Test Museum (2.2 km); Test Beach (7.9 km)"
    assert [button["payload"] for button in messages[0]["buttons"]] == [
        '/ask_about{"site": "test-museum"}',
        '/ask_about{"site": "test-beach"}',
    ]


def test_a_lonely_site_still_hears_of_the_nearest_ones() -> None:
    tracker = make_tracker("near?", "ask_nearby", slots={"site": "far-tower"})
    messages, _ = run_action(ActionSiteNearby(), tracker)
    assert messages[0]["nearby"].startswith("Test Tower (")
    assert len(messages[0]["buttons"]) == 3


def test_the_narration_is_the_sites_page_in_the_language() -> None:
    tracker = make_tracker("play", "play_narration", slots={"site": "test-tower", "language": "ja"})
    messages, _ = run_action(ActionPlayNarration(), tracker)
    assert responses(messages) == ["utter_narration", "utter_links_story"]
    assert messages[0]["site_name"] == "テストタワー"
    assert messages[1]["site"] == "test-tower"


REPORTED_SOURCE = {"url": "https://example.org/guidebook", "title": "A guidebook"}


@pytest.fixture
def reported_site(knowledge_engine: Engine) -> None:
    """A site whose hours and prices only others published, two sources disagreeing."""
    SiteStore(Database(knowledge_engine)).load(
        [
            make_site(
                "test-pagoda",
                names={**NAMES, "en": "Test Pagoda", "vi": "Chùa Thử"},
                aliases={**site_document()["aliases"], "vi": ["Chua Thu"], "en": ["Pagoda"]},
                opening_hours={
                    "status": "reported",
                    "reported": [
                        {
                            "periods": [
                                {"days": ["sat", "sun"], "opens": "07:00", "closes": "17:00"}
                            ],
                            "source": REPORTED_SOURCE,
                            "read": "2026-12-01",
                            "published": "2024-05-10",
                            "note": human_texts(en="Closed at noon.", vi="Nghỉ trưa."),
                        }
                    ],
                },
                tickets={
                    "status": "reported",
                    "reported": [
                        {
                            "prices": [{"audience": "adult", "amount": 20000}],
                            "source": REPORTED_SOURCE,
                            "read": "2026-12-01",
                        },
                        {
                            "prices": [{"audience": "adult", "amount": 15000}],
                            "source": {"url": "https://example.org/blog", "title": "A blog"},
                            "read": "2026-11-30",
                        },
                    ],
                },
            )
        ]
    )


@pytest.mark.usefixtures("reported_site")
def test_reported_hours_come_with_their_source_and_dates() -> None:
    tracker = make_tracker(
        "営業時間は?", "ask_hours", slots={"site": "test-pagoda", "language": "ja"}
    )
    messages, _ = run_action(ActionSiteHours(), tracker)
    assert responses(messages) == [
        "utter_hours_reported",
        "utter_note",
        "utter_text_in_other_language",
    ]
    assert messages[0]["periods"] == "土曜, 日曜 07:00–17:00"
    assert messages[0]["source"] == "A guidebook"
    assert messages[0]["url"] == "https://example.org/guidebook"
    assert messages[0]["read"] == "2026-12-01"
    assert messages[0]["published"] == "\uff1b出典の日付2024-05-10"  # full-width semicolon
    assert messages[1]["note"] == "Closed at noon."  # no Japanese note: the English, saying so
    assert messages[2]["text_language"] == "英語"


@pytest.mark.usefixtures("reported_site")
def test_every_reported_price_is_given_where_sources_disagree() -> None:
    tracker = make_tracker(
        "giá vé?", "ask_tickets", slots={"site": "test-pagoda", "language": "vi"}
    )
    messages, _ = run_action(ActionSiteTickets(), tracker)
    assert responses(messages) == ["utter_tickets_reported", "utter_tickets_reported"]
    assert [message["prices"] for message in messages] == [
        "người lớn: 20.000 VND",
        "người lớn: 15.000 VND",
    ]
    assert [message["source"] for message in messages] == ["A guidebook", "A blog"]
    assert messages[1]["published"] == ""


def test_a_place_name_after_a_question_asks_the_same_of_that_place() -> None:
    tracker = make_tracker(
        "how much is the test museum", "ask_tickets", slots={"site": "test-museum"}
    )
    _, events = run_action(ActionSiteTickets(), tracker)
    assert {"event": "slot", "name": "last_topic", "value": "tickets"} in [
        {key: event[key] for key in ("event", "name", "value")} for event in events
    ]
    follow = make_tracker(
        "and the test tower?", "inform", slots={"site": "test-tower", "last_topic": "tickets"}
    )
    messages, _ = run_action(ActionSiteFollowup(), follow)
    assert messages[0]["response"] == "utter_tickets_priced"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("and the test tower?", "en"),
        ("et pour la tour d'essai ?", "fr"),
        ("còn tháp thử thì sao", "vi"),
    ],
)
def test_a_follow_up_the_nlu_took_for_a_question_of_what_it_is_asks_the_same(
    text: str, lang: str
) -> None:
    follow = make_tracker(
        text, "ask_about", slots={"site": "test-tower", "last_topic": "tickets", "language": lang}
    )
    messages, events = run_action(ActionSiteAbout(), follow)
    assert messages[0]["response"] == "utter_tickets_priced"
    # The topic stays tickets: no event sets it to anything else.
    assert [event for event in events if event.get("name") == "last_topic"] == []


def test_what_a_place_is_after_a_question_of_prices_is_still_what_it_is() -> None:
    tracker = make_tracker(
        "test tower", "ask_about", slots={"site": "test-tower", "last_topic": "tickets"}
    )
    messages, _ = run_action(ActionSiteAbout(), tracker)
    assert messages[0]["response"] != "utter_tickets_priced"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("中午休息吗", "zh"), ("ở đây có nghỉ trưa không", "vi"), ("Mittagspause?", "de")],
)
def test_a_question_of_a_midday_break_is_one_of_hours(text: str, lang: str) -> None:
    tracker = make_tracker(text, "ask_detail", slots={"site": "test-beach", "language": lang})
    messages, _ = run_action(ActionSiteAbout(), tracker)
    assert messages[0]["response"] == "utter_hours_open_access"
