"""The conversation's slots as the actions read them."""

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.interfaces import Tracker

from sites_data.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

LANGUAGE = "language"
SITE = "site"
PENDING_TOPIC = "pending_topic"
LAST_TOPIC = "last_topic"


def language_of(tracker: Tracker) -> str:
    """The language the assistant answers in this turn."""
    lang = tracker.get_slot(LANGUAGE)
    return lang if lang in LANGUAGE_CODES else DEFAULT_LANGUAGE


def slot_changes(tracker: Tracker, values: dict[str, Any]) -> list[dict[str, Any]]:
    """``SlotSet`` events for the slots ``values`` changes, none for those already so: Rasa
    stores every event and reads the conversation back at each message."""
    changed = {name: value for name, value in values.items() if tracker.get_slot(name) != value}
    return [SlotSet(name, value) for name, value in changed.items()]


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """The values of ``entity`` in the visitor's latest message."""
    return [str(value) for value in tracker.get_latest_entity_values(entity)]


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = tracker.latest_message.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def site_set_this_turn(tracker: Tracker) -> bool:
    """Whether the visitor's latest message named a site (rather than relying on context)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == SITE:
            return True
    return False


def site_before_this_turn(tracker: Tracker) -> str | None:
    """The site in context before the visitor's latest message."""
    before = list(tracker.events)
    for index in range(len(before) - 1, -1, -1):
        if before[index].get("event") == "user":
            before = before[:index]
            break
    for event in reversed(before):
        if event.get("event") == "slot" and event.get("name") == SITE:
            return event.get("value")
    return None
