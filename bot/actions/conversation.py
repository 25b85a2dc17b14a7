"""The conversation around the questions.

The site in context, sessions (counted per language), small talk, changing language, and
what the assistant could not answer (recorded for the staff report). The reply language is
set by Rasa from each message's metadata (``bot.components.message_language``).

Sessions are started by Rasa's own ``action_session_start``, which needs no action server.
A custom one that could not be reached (the action server down) left its session without
the ``action_listen`` a session start ends with; no rule matched after that, every
prediction was a failing fallback, and Rasa's limit of ten actions per message then held
for every later message of that visitor, ``/restart`` included.
"""

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.actions import knowledge
from bot.actions.answers import Topic, detail, topics_asked
from bot.actions.facilities import facilities_named
from bot.actions.festival_answers import say_festivals
from bot.actions.mentions import Kind
from bot.actions.region_actions import asked, outside_named
from bot.actions.site_actions import answer
from bot.actions.slots import (
    LANGUAGE,
    SITE,
    entity_values,
    language_of,
    message_metadata,
    site_set_this_turn,
    slot_changes,
)
from sites_data.activity import Counted, Unanswered
from sites_data.languages import LANGUAGE_CODES


async def begin_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The site in context, settled before the first action that answers a message (the
    action server runs this before each action, ``bot.action_server``); applied to
    ``tracker`` and returned as events to store. The first message of a session counts a
    conversation in its language.

    The site is the one the message names, else the page the visitor came from (``site``
    in the metadata) when it changes, else the one already in context. The language is
    already set: Rasa fills its slot from the message (``bot.components.message_language``).
    """
    if not _answers_a_message(tracker):
        return []
    catalogue = await knowledge.catalogue()
    if _opens_a_session(tracker):
        await knowledge.count(Counted.CONVERSATION, language_of(tracker))
    site = knowledge.resolve_site(
        catalogue,
        entity_values(tracker, "site"),
        tracker.latest_message.get("text") or "",
        entity_values(tracker, "interest"),
    )
    page_site = message_metadata(tracker).get("site")
    page_changed = page_site != _previous_page_site(tracker) or tracker.get_slot(SITE) is None
    if site is None and page_site in catalogue.sites and page_changed:
        site = page_site
    events = slot_changes(tracker, {SITE: site}) if site is not None else []
    tracker.add_slots(events)
    return events


def _answers_a_message(tracker: Tracker) -> bool:
    """Whether no action has run since the visitor's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action":
            return False
    return False


SMALL_TALK = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
}


class ActionSmallTalk(Action):
    """Greetings, goodbyes, thanks and "are you a bot?": the response for the intent. An
    action rather than a bare response, so that a conversation opened by "hello" is counted
    and takes the site of the page it came from (``begin_turn``)."""

    def name(self) -> str:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        dispatcher.utter_message(response=SMALL_TALK.get(intent, "utter_greet"))
        return []


def _opens_a_session(tracker: Tracker) -> bool:
    """Whether the latest message is the first since Rasa started a session (Rasa's own
    ``action_session_start``: at a visitor's first message, after ``/restart`` and after an
    hour of silence)."""
    messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            messages += 1
        elif event.get("event") == "session_started":
            return messages == 1
    return False


def _previous_page_site(tracker: Tracker) -> Any:
    """The page site sent with the visitor's message before this one."""
    messages = [event for event in tracker.events if event.get("event") == "user"]
    if len(messages) < 2:
        return None
    metadata = messages[-2].get("metadata")
    return metadata.get("site") if isinstance(metadata, dict) else None


class ActionChangeLanguage(Action):
    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if site_set_this_turn(tracker) or (
            tracker.get_slot(SITE) and facilities_named(text, language_of(tracker))
        ):
            # "Is there a Japanese guide at Po Klong Garai?" asks about the site, and so
            # does "an audio guide in Russian?" about the one in context.
            return await answer(Topic.DETAIL, dispatcher, tracker)
        chosen = [
            code for code in entity_values(tracker, "chosen_language") if code in LANGUAGE_CODES
        ]
        if not chosen:
            dispatcher.utter_message(response="utter_ask_language")
            return []
        dispatcher.utter_message(response=f"utter_language_changed_{chosen[0]}")
        return [SlotSet(LANGUAGE, chosen[0])]


class Unanswerable(Action, ABC):
    """Answer politely and record the question for the staff."""

    reason: Unanswered
    response: str

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        await knowledge.record_unanswered(
            self.question(tracker),
            language_of(tracker),
            self.reason,
            tracker.sender_id,
            tracker.get_slot(SITE),
        )
        dispatcher.utter_message(response=self.response)
        return []

    def question(self, tracker: Tracker) -> str:
        return str(tracker.latest_message.get("text") or "")


class AboutAPlaceFirst(Unanswerable, ABC):
    """Not understood or out of scope, unless the message is about a place: a place outside
    the area is said to be outside it, a question naming one of the guide's sites is
    answered from that site's texts (so never "out of scope" for a covered site), and one
    naming none is answered from the texts of the site in context when they say it ("and
    can we swim there?")."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        question, catalogue = await asked(tracker)
        if outside_named(dispatcher, question):
            return []
        if question.named(Kind.FESTIVAL):
            say_festivals(dispatcher, question, catalogue, tracker.get_slot(SITE))
            return []
        site = catalogue.sites.get(tracker.get_slot(SITE) or "")
        if site is not None:
            named = site_set_this_turn(tracker) or question.named(Kind.SITE)
            topics = topics_asked(site, question, Topic.DETAIL)
            if named or topics not in ([Topic.DETAIL], [Topic.ABOUT]):
                return await answer(Topic.DETAIL, dispatcher, tracker, question)
            if detail(dispatcher, site, question, catalogue, say_when_silent=False):
                return []
        return await super().run(dispatcher, tracker, domain)


class ActionFallback(AboutAPlaceFirst):
    reason = Unanswered.FALLBACK
    response = "utter_fallback"

    def name(self) -> str:
        return "action_fallback"


class ActionOutOfScope(AboutAPlaceFirst):
    reason = Unanswered.OUT_OF_SCOPE
    response = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"


class ActionHandoff(Unanswerable):
    """ "Talk to a person": the staff get the question asked before, with the request."""

    reason = Unanswered.HANDOFF
    response = "utter_handoff"

    def name(self) -> str:
        return "action_handoff"

    def question(self, tracker: Tracker) -> str:
        messages = [
            str(event.get("text") or "") for event in tracker.events if event.get("event") == "user"
        ]
        return " / ".join(messages[-2:])
