"""Site in context, sessions, small talk, changing language, and the questions recorded
for the staff."""

import asyncio
from typing import Any

import pytest
from rasa_sdk.interfaces import Tracker
from sqlalchemy import Engine

from bot.actions.conversation import (
    ActionChangeLanguage,
    ActionFallback,
    ActionHandoff,
    ActionOutOfScope,
    ActionSmallTalk,
    begin_turn,
)
from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database
from tests.bot.running import run_action
from tests.factories import make_tracker


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def turn(tracker: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(begin_turn(tracker))


@pytest.mark.usefixtures("knowledge_engine")
class TestLanguageAndSite:
    def test_the_page_comes_from_the_metadata(self) -> None:
        tracker = make_tracker(
            "mấy giờ mở cửa", "ask_hours", metadata={"lang": "vi", "site": "test-museum"}
        )
        events = turn(tracker)
        assert events == [
            {"event": "slot", "timestamp": None, "name": "site", "value": "test-museum"}
        ]
        # The action that follows reads the site set this turn.
        assert tracker.get_slot("site") == "test-museum"
        assert tracker.events[-1] == events[0]

    def test_only_the_first_action_after_a_message_settles_the_site(self) -> None:
        tracker = make_tracker(
            "mấy giờ mở cửa",
            "ask_hours",
            metadata={"lang": "vi", "site": "test-museum"},
            this_turn=[{"event": "action", "name": "action_site_hours"}],
        )
        assert turn(tracker) == []
        assert tracker.get_slot("site") is None

    def test_a_misspelt_name_in_the_message_is_found(self) -> None:
        tracker = make_tracker("opening hours of the tset museum please", "ask_hours")
        assert slots_set(turn(tracker))["site"] == "test-museum"

    def test_ordinary_words_are_not_taken_for_a_misspelt_name(self) -> None:
        # "trial tower" is an alias of the test tower; these words are in the training phrases.
        greeting = make_tracker("hi, is there a trial here", "greet")
        assert "site" not in slots_set(turn(greeting))
        context = make_tracker(
            "who built these towers", "ask_history", slots={"site": "test-beach"}
        )
        assert slots_set(turn(context)) == {}

    def test_an_entity_is_resolved_by_key_or_by_name(self) -> None:
        by_key = make_tracker("/ask_about", "ask_about", entities={"site": "test-beach"})
        assert slots_set(turn(by_key))["site"] == "test-beach"
        by_name = make_tracker("bai bien thu", "inform", entities={"site": "bai bien thu"})
        assert slots_set(turn(by_name))["site"] == "test-beach"

    def test_a_named_site_wins_over_the_page_then_stays_in_context(self) -> None:
        page = {"lang": "en", "site": "test-tower"}
        earlier = [{"event": "user", "text": "hello", "metadata": page}]
        named = make_tracker(
            "and the Test Beach?",
            "inform",
            slots={"site": "test-tower"},
            metadata=page,
            earlier=earlier,
        )
        assert slots_set(turn(named)) == {"site": "test-beach"}

        follow_up = make_tracker(
            "how much is it?",
            "ask_tickets",
            slots={"site": "test-beach"},
            metadata=page,
            earlier=earlier,
        )
        assert slots_set(turn(follow_up)) == {}

    def test_a_new_page_brings_its_site_into_context(self) -> None:
        earlier = [
            {"event": "user", "text": "hi", "metadata": {"lang": "en", "site": "test-tower"}}
        ]
        tracker = make_tracker(
            "what is this?",
            "ask_about",
            slots={"site": "test-tower"},
            metadata={"lang": "en", "site": "test-museum"},
            earlier=earlier,
        )
        assert slots_set(turn(tracker)) == {"site": "test-museum"}

    def test_a_chosen_language_answers_in_that_language(self) -> None:
        tracker = make_tracker(
            "speak German", "change_language", entities={"chosen_language": "de"}
        )
        messages, events = run_action(ActionChangeLanguage(), tracker)
        assert [m["response"] for m in messages] == ["utter_language_changed_de"]
        assert slots_set(events) == {"language": "de"}

    @pytest.mark.usefixtures("knowledge_engine")
    def test_a_facility_in_a_language_asks_about_the_site_in_context(self) -> None:
        tracker = make_tracker(
            "is there an audio guide in German?",
            "change_language",
            entities={"chosen_language": "de"},
            slots={"site": "test-tower"},
        )
        messages, events = run_action(ActionChangeLanguage(), tracker)
        said = " ".join(str(m.get("text")) for m in messages)
        assert "The guide's texts on Test Tower don't say." in said
        assert "language" not in slots_set(events)

    def test_without_a_language_it_lists_them(self) -> None:
        tracker = make_tracker("other languages?", "change_language")
        messages, events = run_action(ActionChangeLanguage(), tracker)
        assert [m["response"] for m in messages] == ["utter_ask_language"]
        assert events == []


@pytest.mark.parametrize(
    ("intent", "response"),
    [
        ("greet", "utter_greet"),
        ("goodbye", "utter_goodbye"),
        ("thank", "utter_you_are_welcome"),
        ("bot_challenge", "utter_iamabot"),
    ],
)
def test_small_talk_answers_with_the_response_for_its_intent(intent: str, response: str) -> None:
    messages, events = run_action(ActionSmallTalk(), make_tracker("…", intent))
    assert [message["response"] for message in messages] == [response]
    assert events == []


def test_the_first_message_of_a_session_counts_a_conversation_in_its_language(
    knowledge_engine: Engine,
) -> None:
    session_start = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "action", "name": "action_listen"},
    ]
    first = make_tracker("안녕하세요", "greet", slots={"language": "ko"}, earlier=session_start)
    turn(first)
    second = make_tracker(
        "포끌롱가라이 입장료", "ask_tickets", slots={"language": "ko"}, earlier=first.events
    )
    turn(second)
    counts = ActivityLog(Database(knowledge_engine)).daily_counts(Counted.CONVERSATION)
    assert [(count.lang, count.count) for count in counts] == [("ko", 1)]


@pytest.mark.parametrize(
    ("action", "reason", "response"),
    [
        (ActionFallback(), Unanswered.FALLBACK, "utter_fallback"),
        (ActionOutOfScope(), Unanswered.OUT_OF_SCOPE, "utter_out_of_scope"),
    ],
)
def test_unanswered_questions_are_recorded_with_their_language(
    knowledge_engine: Engine, action: Any, reason: Unanswered, response: str
) -> None:
    tracker = make_tracker("Wird es morgen regnen?", slots={"language": "de", "site": "test-tower"})
    messages, _ = run_action(action, tracker)
    assert [m["response"] for m in messages] == [response]
    [question] = ActivityLog(Database(knowledge_engine)).questions()
    assert (question.text, question.lang, question.reason, question.site_key) == (
        "Wird es morgen regnen?",
        "de",
        reason,
        "test-tower",
    )


def test_asking_for_a_person_passes_the_question_before_it(knowledge_engine: Engine) -> None:
    earlier = [{"event": "user", "text": "Can I bring my dog?"}]
    tracker = make_tracker("talk to a person", "handoff", earlier=earlier)
    messages, _ = run_action(ActionHandoff(), tracker)
    assert [m["response"] for m in messages] == ["utter_handoff"]
    [question] = ActivityLog(Database(knowledge_engine)).questions()
    assert question.text == "Can I bring my dog? / talk to a person"
    assert (question.lang, question.reason) == ("en", Unanswered.HANDOFF)
