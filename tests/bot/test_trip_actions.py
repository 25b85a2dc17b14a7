"""Ideas for a visit: by interest, a day plan, festivals — all from the knowledge base."""

from typing import Any

import pytest
from sqlalchemy import Engine

from bot.actions.trip_actions import ActionFestivals, ActionPlanDay, ActionRecommend
from sites_data.db import Database
from sites_data.region import festivals, festivals_at
from sites_data.store import SiteStore
from tests.bot.conftest import NAMES
from tests.bot.running import run_action
from tests.factories import make_site, make_tracker

pytestmark = pytest.mark.usefixtures("knowledge_engine")


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [message["response"] for message in messages]


def test_sites_of_the_chosen_interest_nearest_first() -> None:
    tracker = make_tracker(
        "Cham towers",
        "recommend",
        entities={"interest": "cham_tower"},
        slots={"site": "test-beach"},
    )
    messages, _ = run_action(ActionRecommend(), tracker)
    assert responses(messages) == ["utter_recommend"]
    assert messages[0]["interest"] == "Cham towers"
    assert messages[0]["sites"] == "Test Tower; Far Tower"
    assert [b["title"] for b in messages[0]["buttons"]] == ["Test Tower", "Far Tower"]


def test_without_an_interest_the_visitor_chooses_one() -> None:
    tracker = make_tracker("what do you recommend", "recommend", slots={"language": "fr"})
    messages, _ = run_action(ActionRecommend(), tracker)
    assert responses(messages) == ["utter_ask_interest"]
    buttons = messages[0]["buttons"]
    assert buttons[0] == {"title": "Tours cham", "payload": '/recommend{"interest": "cham_tower"}'}
    assert {"title": "Plages", "payload": '/recommend{"interest": "beach"}'} in buttons


def test_a_day_plan_goes_from_the_site_to_the_nearest_ones() -> None:
    tracker = make_tracker("plan my day", "plan_day", slots={"site": "test-tower"})
    messages, events = run_action(ActionPlanDay(), tracker)
    assert responses(messages) == ["utter_day_plan", "utter_check_hours_before"]
    plan = messages[0]
    # The far tower in Ninh Thuận is more than a day's leg away.
    assert plan["stops"] == "Test Tower → Test Museum (2.2 km) → Test Beach (5.7 km)"
    assert plan["total_km"] == "7.9"
    assert messages[1]["sites"] == "Test Museum"
    assert events[0]["name"] == "site"


def test_a_day_plan_without_a_place_asks_where() -> None:
    messages, _ = run_action(ActionPlanDay(), make_tracker("one day trip", "plan_day"))
    assert responses(messages) == ["utter_ask_region"]
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/plan_day{"province": "Bình Định"}',
        '/plan_day{"province": "Ninh Thuận"}',
    ]
    chosen = make_tracker("/plan_day", "plan_day", entities={"province": "Ninh Thuận"})
    messages, _ = run_action(ActionPlanDay(), chosen)
    assert messages[0]["start"] == "Far Tower"


def test_festivals_are_what_their_data_says() -> None:
    messages, _ = run_action(ActionFestivals(), make_tracker("festivals?", "ask_festivals"))
    shipped = festivals()
    assert responses(messages) == ["utter_festival"] * min(4, len(shipped))
    kate = messages[0]
    assert kate["festival_name"] == shipped[0].name("en") == "Katê festival"
    assert kate["rule"] == shipped[0].rule["en"].text
    latest = max(shipped[0].dates, key=lambda day: day.start)
    assert latest.start.isoformat() in kate["dates"] and latest.source.title in kate["dates"]
    assert kate["where"] == ""  # its sites are not in this test's knowledge base


def test_a_festival_at_the_named_site_says_when_it_falls(knowledge_engine: Engine) -> None:
    SiteStore(Database(knowledge_engine)).load(
        [make_site("po-klong-garai", names={**NAMES, "ko": "포끌롱"})]
    )
    tracker = make_tracker(
        "까떼 축제는 언제예요?",
        "ask_festivals",
        slots={"site": "po-klong-garai", "language": "ko"},
        this_turn=[{"event": "slot", "name": "site", "value": "po-klong-garai"}],
    )
    messages, _ = run_action(ActionFestivals(), tracker)
    held = festivals_at("po-klong-garai")
    assert [message["festival_name"] for message in messages if "festival_name" in message] == [
        festival.name("ko") for festival in held
    ]
    assert messages[0]["where"] == " (포끌롱)"
    assert messages[0]["rule"] == held[0].rule["ko"].text
    assert messages[0]["description"] == held[0].description["ko"].text
    assert {"response": "utter_links_story", "site": "po-klong-garai"} in [
        {key: message[key] for key in ("response", "site")} for message in messages[-1:]
    ]


def test_a_site_without_festivals_is_said_to_have_none() -> None:
    tracker = make_tracker(
        "festivals at Test Museum?",
        "ask_festivals",
        slots={"site": "test-museum"},
        this_turn=[{"event": "slot", "name": "site", "value": "test-museum"}],
    )
    messages, _ = run_action(ActionFestivals(), tracker)
    assert responses(messages) == ["utter_no_festival"]
