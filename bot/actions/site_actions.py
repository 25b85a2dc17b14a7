"""Questions about one site: the site named in the message, or the one in context."""

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.actions import knowledge
from bot.actions.answers import ANSWERS, Topic
from bot.actions.slots import PENDING_TOPIC, SITE, language_of


async def answer(
    topic: Topic, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    """Answer ``topic`` about the site in context, or ask which site and remember the question."""
    catalogue = await knowledge.catalogue()
    site = catalogue.sites.get(tracker.get_slot(SITE) or "")
    if site is None:
        dispatcher.utter_message(response="utter_ask_site")
        return [SlotSet(PENDING_TOPIC, topic.value)]
    ANSWERS[topic](dispatcher, site, language_of(tracker), catalogue)
    return [SlotSet(PENDING_TOPIC, None)]


class SiteQuestion(Action, ABC):
    topic: Topic

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await answer(self.topic, dispatcher, tracker)


class ActionSiteAbout(SiteQuestion):
    topic = Topic.ABOUT

    def name(self) -> str:
        return "action_site_about"


class ActionSiteHistory(SiteQuestion):
    topic = Topic.HISTORY

    def name(self) -> str:
        return "action_site_history"


class ActionSiteHours(SiteQuestion):
    topic = Topic.HOURS

    def name(self) -> str:
        return "action_site_hours"


class ActionSiteTickets(SiteQuestion):
    topic = Topic.TICKETS

    def name(self) -> str:
        return "action_site_tickets"


class ActionSiteDirections(SiteQuestion):
    topic = Topic.DIRECTIONS

    def name(self) -> str:
        return "action_site_directions"


class ActionSiteNearby(SiteQuestion):
    topic = Topic.NEARBY

    def name(self) -> str:
        return "action_site_nearby"


class ActionPlayNarration(SiteQuestion):
    topic = Topic.NARRATION

    def name(self) -> str:
        return "action_play_narration"


class ActionSiteFollowup(Action):
    """A place name on its own: answer the question that waited for it, or present the place."""

    def name(self) -> str:
        return "action_site_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        pending = tracker.get_slot(PENDING_TOPIC)
        topic = Topic(pending) if pending in set(Topic) else Topic.ABOUT
        return await answer(topic, dispatcher, tracker)
