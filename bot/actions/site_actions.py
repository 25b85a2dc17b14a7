"""Questions about one site: the site named in the message, or the one in context."""

import re
from abc import ABC, abstractmethod
from dataclasses import replace
from functools import cache
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.actions import knowledge, wording
from bot.actions.answers import ANSWERS, Asked, Topic, detail, topics_asked
from bot.actions.festival_answers import say_festivals
from bot.actions.mentions import Kind, Mention
from bot.actions.passages import asked_words
from bot.actions.region_actions import asked, outside_named
from bot.actions.slots import LAST_TOPIC, PENDING_TOPIC, SITE, site_before_this_turn, slot_changes
from sites_data.activity import Unanswered
from sites_data.schema import Site
from sites_data.store import Catalogue
from sites_data.textnorm import fold

# A festival named in a question the NLU took for one of these is a festival question.
FESTIVAL_TOPICS = frozenset({Topic.ABOUT, Topic.HISTORY, Topic.DETAIL})


async def answer(
    topic: Topic, dispatcher: CollectingDispatcher, tracker: Tracker, question: Asked | None = None
) -> list[dict[str, Any]]:
    """Answer ``topic`` about the site in context, or ask which site and remember the question.

    A place outside the area, named without any of the guide's sites, is said to be outside
    it instead; a festival named in a question about a site's story is answered from its
    data."""
    if question is None:
        question, catalogue = await asked(tracker)
    else:
        catalogue = await knowledge.catalogue()
    # A name several sites share ("Cà Ná") is a site of the guide's, not only the place
    # outside the area named with it ("Cà Ná, on the way from Mũi Né").
    shared = knowledge.name_finder(catalogue).shared(question.text)
    if not shared and outside_named(dispatcher, question):
        return slot_changes(tracker, {PENDING_TOPIC: None})
    if topic in FESTIVAL_TOPICS and question.named(Kind.FESTIVAL):
        say_festivals(dispatcher, question, catalogue, tracker.get_slot(SITE))
        return slot_changes(tracker, {PENDING_TOPIC: None})
    site = catalogue.sites.get(tracker.get_slot(SITE) or "")
    if site is None:
        # A name several sites share ("Cà Ná"): which one, as buttons.
        choices = [catalogue.sites[key] for key in shared if key in catalogue.sites]
        buttons = [
            {"title": choice.name(question.lang), "payload": f'/inform{{"site": "{choice.key}"}}'}
            for choice in choices
        ]
        dispatcher.utter_message(response="utter_ask_site", buttons=buttons or None)
        return slot_changes(tracker, {PENDING_TOPIC: topic.value})
    topic, question = _as_followup(topic, question, site, tracker, catalogue)
    question = _from_there(question, site, tracker)
    topics = topics_asked(site, question, topic)
    for asked_topic in topics:
        if asked_topic == Topic.FESTIVALS:
            say_festivals(dispatcher, question, catalogue, site.key)
        elif asked_topic != Topic.DETAIL:
            ANSWERS[asked_topic](dispatcher, site, question, catalogue)
        elif not detail(dispatcher, site, question, catalogue):
            await knowledge.record_unanswered(
                question.text, question.lang, Unanswered.NOT_IN_TEXTS, tracker.sender_id, site.key
            )
    return slot_changes(tracker, {PENDING_TOPIC: None, LAST_TOPIC: topics[0].value})


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


class ActionSiteDetail(SiteQuestion):
    """Anything else about a site ("can I swim there?"), answered from the site's texts."""

    topic = Topic.DETAIL

    def name(self) -> str:
        return "action_site_detail"


class ActionSiteFollowup(Action):
    """A place name on its own: answer the question that waited for it, or present the place."""

    def name(self) -> str:
        return "action_site_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        pending = tracker.get_slot(PENDING_TOPIC)
        topic = Topic(pending) if pending in set(Topic) else _previous_topic(tracker)
        question, _ = await asked(tracker)
        if topic != Topic.ABOUT:
            # The question that waited, with the place now named.
            earlier = _earlier_message(tracker)
            question = Asked(question.lang, f"{earlier} {question.text}", question.mentions)
        return await answer(topic, dispatcher, tracker, question)


def _from_there(question: Asked, site: Site, tracker: Tracker) -> Asked:
    """ "From there" names the site talked about before ("そこからチャム文化研究センターまで
    歩けますか" after the museum): the way, or what is near, is from that one."""
    before = site_before_this_turn(tracker)
    if before is None or before == site.key or before in question.named(Kind.SITE):
        return question
    folded = fold(question.text)
    phrases = wording.vocabulary()["from_there"][question.lang]
    if not any(fold(phrase) in folded for phrase in phrases):
        return question
    return replace(question, mentions=(*question.mentions, Mention(Kind.SITE, before, 0, 0, 100.0)))


@cache
def _followup_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    patterns = wording.vocabulary()["followup_patterns"][lang]
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def _as_followup(
    topic: Topic, question: Asked, site: Site, tracker: Tracker, catalogue: Catalogue
) -> tuple[Topic, Asked]:
    """ "And Bánh Ít?" after an answer about prices asks Bánh Ít's prices ("còn Kỳ Co thì
    sao", "반잇탑은요?", "et pour les tours d'argent ?"): a message that only names a place
    in the words of a follow-up asks what the last answer was about, read with the
    message before it (and the towns or airport that one named)."""
    last = tracker.get_slot(LAST_TOPIC)
    if topic not in (Topic.ABOUT, Topic.DETAIL) or last not in set(Topic) or last == topic:
        return topic, question
    rest = question.text
    for pattern in _followup_patterns(question.lang):
        rest = pattern.sub(" ", rest)
    if rest == question.text or asked_words(site, rest, question.lang):
        return topic, question
    earlier = _earlier_message(tracker)
    towns = [
        mention
        for mention in knowledge.name_finder(catalogue).find(earlier)
        if mention.kind == Kind.PLACE
    ]
    text = f"{earlier} {question.text}"
    return Topic(last), Asked(question.lang, text, (*question.mentions, *towns))


def _previous_topic(tracker: Tracker) -> Topic:
    """What the last answer about a site was about ("how much is Tháp Đôi?" … "and Bánh Ít?"
    asks the price again), when it was data a place alone can ask for; else what it is."""
    last = tracker.get_slot(LAST_TOPIC)
    followed = {Topic.HISTORY, Topic.HOURS, Topic.TICKETS, Topic.DIRECTIONS, Topic.NEARBY}
    return Topic(last) if last in followed else Topic.ABOUT


def _earlier_message(tracker: Tracker) -> str:
    """The visitor's message before the latest one."""
    messages = [
        str(event.get("text") or "") for event in tracker.events if event.get("event") == "user"
    ]
    return messages[-2] if len(messages) >= 2 else ""
