"""Answers about one site, each from the knowledge base and nothing else.

A fact the knowledge base lacks is said to be unknown, with the knowledge base's note when
it has one; a figure others publish but the site has not confirmed (``reported``) is given
with its source and the date it was read, every version where sources disagree. A text the
knowledge base lacks in the visitor's language is given in the nearest one it has, and the
visitor is told which language it is.
"""

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions import wording
from bot.actions.facilities import facilities_named
from bot.actions.mentions import Kind, Mention
from bot.actions.passages import (
    asked_words,
    asks_concept,
    find_passages,
    passages_naming,
    topic_words,
)
from sites_data.places import Place, places
from sites_data.schema import Journey, Localized, Reported, Site
from sites_data.search import distance_km, nearest_places
from sites_data.store import Catalogue

NEARBY_RADIUS_KM = 20.0
NEARBY_COUNT = 5
NEAREST_ANYWHERE = 3
# Narration paragraphs that carry dates are the history (searching the Vietnamese and
# English narrations, the only ones the knowledge base keeps).
HISTORY_MARKERS = re.compile(r"\b\d{3,4}\b|centur|thế kỷ", re.IGNORECASE)
HISTORY_PARAGRAPHS = 2


# A message this much made of names is a name alone ("Po Klong Garai?"): what it is.
BARE_NAME_SHARE = 0.75


class Topic(StrEnum):
    ABOUT = "about"
    HISTORY = "history"
    HOURS = "hours"
    TICKETS = "tickets"
    DIRECTIONS = "directions"
    NEARBY = "nearby"
    NARRATION = "narration"
    DETAIL = "detail"  # anything else about the site: from its texts
    FESTIVALS = "festivals"  # the festivals held there (festival_answers)


@dataclass(frozen=True)
class Asked:
    """What the visitor asked: in which language, in which words, naming what."""

    lang: str
    text: str
    mentions: tuple[Mention, ...] = ()
    named_share: float = 0.0  # how much of the message is names (mentions.NameFinder)

    def named(self, kind: Kind) -> list[str]:
        return [mention.key for mention in self.mentions if mention.kind == kind]


def sentence(kind: str, lang: str, **values: Any) -> str:
    """One of the composed sentences of vocabulary.yml's ``answers``, in ``lang``."""
    template: str = wording.vocabulary()["answers"][kind][lang]
    return template.format(**values)


def say_in_language(
    dispatcher: CollectingDispatcher,
    text: wording.InLanguage,
    lang: str,
    *messages: dict[str, Any],
) -> None:
    """Send ``messages`` holding a knowledge-base text, then say so if it is in another language."""
    for message in messages:
        dispatcher.utter_message(**message)
    if text.lang != lang:
        dispatcher.utter_message(
            response="utter_text_in_other_language",
            text_language=wording.language_name(text.lang, lang),
        )


def about(dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue) -> None:
    lang = asked.lang
    description = wording.in_language(site.description, lang)
    say_in_language(
        dispatcher,
        description,
        lang,
        {"response": "utter_about", "site_name": site.name(lang), "description": description.text},
        {"response": "utter_links_story", "site": site.key},
    )


def history(
    dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue
) -> None:
    lang = asked.lang
    narration = wording.in_language(site.narration, lang)
    dated = [p for p in narration.text.split("\n\n") if HISTORY_MARKERS.search(p)]
    if dated:
        text = wording.InLanguage(" ".join(dated[:HISTORY_PARAGRAPHS]), narration.lang)
    else:
        text = wording.in_language(site.description, lang)
    say_in_language(
        dispatcher,
        text,
        lang,
        {"response": "utter_history", "site_name": site.name(lang), "history": text.text},
        {"response": "utter_links_story", "site": site.key},
    )


def hours(dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue) -> None:
    lang = asked.lang
    opening = site.opening_hours
    name = site.name(lang)
    if opening.status == "regular":
        dispatcher.utter_message(
            response="utter_hours_regular",
            site_name=name,
            periods=wording.periods(opening.periods, lang),
        )
    elif opening.status == "reported":
        for version in opening.reported:
            dispatcher.utter_message(
                response="utter_hours_reported",
                site_name=name,
                periods=wording.periods(version.periods, lang),
                **_reported_source(version, lang),
            )
    else:
        dispatcher.utter_message(response=f"utter_hours_{opening.status}", site_name=name)
    _notes(dispatcher, lang, opening.note, *(version.note for version in opening.reported))


def _reported_source(version: Reported, lang: str) -> dict[str, Any]:
    return {
        "source": version.source.title,
        "url": version.source.url,
        "read": version.read.isoformat(),
        "published": wording.published(version.published, lang),
    }


def _notes(dispatcher: CollectingDispatcher, lang: str, *notes: Localized) -> None:
    for note in notes:
        if note:
            text = wording.in_language(note, lang)
            say_in_language(dispatcher, text, lang, {"response": "utter_note", "note": text.text})


def tickets(
    dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue
) -> None:
    lang = asked.lang
    tariff = site.tickets
    name = site.name(lang)
    if tariff.status == "priced" and tariff.as_of is not None:
        dispatcher.utter_message(
            response="utter_tickets_priced",
            site_name=name,
            prices=wording.prices(tariff.prices, tariff.currency, lang),
            as_of=tariff.as_of.isoformat(),
        )
    elif tariff.status == "reported":
        for version in tariff.reported:
            dispatcher.utter_message(
                response="utter_tickets_reported",
                site_name=name,
                prices=wording.prices(version.prices, version.currency, lang),
                **_reported_source(version, lang),
            )
    else:
        dispatcher.utter_message(response=f"utter_tickets_{tariff.status}", site_name=name)
    _notes(dispatcher, lang, tariff.note, *(version.note for version in tariff.reported))


def directions(
    dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue
) -> None:
    """The address, then how to get there: from the place or site the visitor named, or every
    journey and bus the sources describe; straight-line distances, said to be such, where no
    source gives the road."""
    lang = asked.lang
    address = wording.in_language(site.address, lang)
    coordinates: dict[str, Any] = {
        "lat": f"{site.location.lat:.4f}",
        "lon": f"{site.location.lon:.4f}",
    }
    say_in_language(
        dispatcher,
        address,
        lang,
        {
            "response": "utter_directions",
            "site_name": site.name(lang),
            "address": address.text,
            **coordinates,
        },
    )
    for line in _way_there(site, asked, catalogue):
        dispatcher.utter_message(text=line)
    dispatcher.utter_message(response="utter_links_way", site=site.key, **coordinates)


def _way_there(site: Site, asked: Asked, catalogue: Catalogue) -> list[str]:
    """From each town, airport or site the message names, else every journey the sources
    give (straight lines from the nearest town and airport where they give none); then the
    buses; then what the site's texts say about the way, when no source gave the road."""
    lang, name = asked.lang, site.name(asked.lang)
    by_key = {place.key: place for place in places()}
    journeys = site.getting_there.journeys
    other_sites = [catalogue.sites[key] for key in asked.named(Kind.SITE) if key != site.key]
    origins = [by_key[key] for key in asked.named(Kind.PLACE)]
    lines = []
    for other in other_sites:
        km = distance_km(
            other.location.lat, other.location.lon, site.location.lat, site.location.lon
        )
        lines.append(_straight_line(other.name(lang), name, km, lang))
    unsourced = False
    for origin in origins:
        chosen = [journey for journey in journeys if journey.place == origin.key]
        lines += [_journey(journey, origin, name, lang) for journey in chosen]
        if not chosen:
            unsourced = True
            lines.append(sentence("no_road_distance", lang, origin=origin.name(lang)))
            lines += _straight_lines(site, [origin], lang)
    if not other_sites and not origins:
        lines += [_journey(journey, by_key[journey.place], name, lang) for journey in journeys]
        if not journeys:
            unsourced = True
            nearest = [place for place, _ in nearest_places(site.location.lat, site.location.lon)]
            lines += _straight_lines(site, nearest, lang)
    lines += [
        _reported(wording.in_language(note.text, lang).text, note, lang)
        for note in site.getting_there.public_transport
    ]
    # What the texts of the two sites say of each other ("eight kilometres to the north
    # lies Vĩnh Hy Bay"), else what the site's texts say about the question.
    told = False
    for first, second in ((site, other) for other in other_sites):
        for texts_of, named in ((first, second), (second, first)):
            found = passages_naming(texts_of, named, lang)
            if found:
                told = True
                lines.append(sentence("passages_found", lang, site=texts_of.name(lang)))
                lines.append(" ".join(passage.text for passage in found))
    if (unsourced or other_sites) and not told:
        found = find_passages(catalogue, site, asked.text, lang)
        if found:
            lines.append(sentence("passages_found", lang, site=name))
            lines.append(" ".join(passage.text for passage in found))
    return lines


def _journey(journey: Journey, origin: Place, site_name: str, lang: str) -> str:
    parts = []
    if journey.km is not None:
        parts.append(sentence("road_km", lang, km=wording.kilometres(journey.km, lang)))
    if journey.minutes is not None:
        parts.append(sentence("minutes", lang, minutes=journey.minutes))
    note = wording.in_language(journey.note, lang).text if journey.note else ""
    line = sentence(
        "journey",
        lang,
        origin=origin.name(lang),
        site=site_name,
        parts=", ".join(parts) or note,
        source=journey.source.title,
        read=journey.read.isoformat(),
    )
    return f"{line} {note}" if parts and note else line


def _reported(text: str, version: Reported, lang: str) -> str:
    return sentence(
        "reported", lang, text=text, source=version.source.title, read=version.read.isoformat()
    )


def _straight_lines(site: Site, origins: Iterable[Place], lang: str) -> list[str]:
    return [
        _straight_line(
            origin.name(lang),
            site.name(lang),
            distance_km(
                origin.location["lat"], origin.location["lon"], site.location.lat, site.location.lon
            ),
            lang,
        )
        for origin in origins
        if origin.location is not None
    ]


def _straight_line(origin: str, site_name: str, km: float, lang: str) -> str:
    return sentence(
        "straight_line", lang, origin=origin, site=site_name, km=wording.kilometres(km, lang)
    )


def nearby(
    dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue
) -> None:
    lang = asked.lang
    others = [
        (other, distance)
        for other, distance in catalogue.nearby(site.location.lat, site.location.lon, math.inf)
        if other.key != site.key
    ]
    # Nothing within the radius: the nearest ones, wherever they are.
    chosen = [pair for pair in others if pair[1] <= NEARBY_RADIUS_KM][:NEARBY_COUNT] or others[
        :NEAREST_ANYWHERE
    ]
    dispatcher.utter_message(
        response="utter_nearby",
        site_name=site.name(lang),
        nearby=wording.listing(
            (f"{other.name(lang)} ({wording.kilometres(km, lang)})" for other, km in chosen), lang
        ),
        buttons=site_buttons((other for other, _ in chosen), lang),
    )


def narration(
    dispatcher: CollectingDispatcher, site: Site, asked: Asked, catalogue: Catalogue
) -> None:
    lang = asked.lang
    dispatcher.utter_message(response="utter_narration", site_name=site.name(lang))
    dispatcher.utter_message(response="utter_links_story", site=site.key)


def topics_asked(site: Site, asked: Asked, topic: Topic) -> list[Topic]:
    """What the message asks about the site, ``topic`` being what the NLU made of it.

    A question for the site's texts (``DETAIL``) that asks nothing beyond the names is what
    the site is. Whatever the NLU made of a question for the texts, of what the site is or
    of its history, its words decide when they ask for data: hours and prices ("when does
    it open, and the tickets?" asks both), else festivals, what is near it or the way there;
    and a question of what the site is or of its history that asks a detail the texts may
    hold ("how tall?") is answered from them. A question about a facility (parking, toilets,
    a cash machine) is one for the texts, whatever else its words say ("how much")."""
    words = asked_words(site, asked.text, asked.lang)
    if topic == Topic.DETAIL and (not words or asked.named_share >= BARE_NAME_SHARE):
        return [Topic.ABOUT]
    if facilities_named(asked.text, asked.lang):
        return [Topic.DETAIL]
    named = [
        found
        for found, kind in ((Topic.HOURS, "hours"), (Topic.TICKETS, "tickets"))
        if words & topic_words(kind, asked.lang)
    ]
    if topic in (Topic.HOURS, Topic.TICKETS):
        return [topic, *(found for found in named if found != topic)]
    if topic not in (Topic.DETAIL, Topic.ABOUT, Topic.HISTORY):
        return [topic]
    if not named:
        named = [
            found
            for found, kind in (
                (Topic.FESTIVALS, "festivals"),
                (Topic.NEARBY, "nearby"),
                (Topic.DIRECTIONS, "directions"),
            )
            if words & topic_words(kind, asked.lang)
        ][:1]
    # When it was built and what the name means are the history's own.
    besides = ("built", "name") if topic == Topic.HISTORY else ()
    asks_detail = any(asks_concept(word, asked.lang, besides) for word in words)
    if not named and topic != Topic.DETAIL and asks_detail:
        named = [Topic.DETAIL]
    return named or [topic]


def detail(
    dispatcher: CollectingDispatcher,
    site: Site,
    asked: Asked,
    catalogue: Catalogue,
    say_when_silent: bool = True,
) -> bool:
    """The sentences of the site's texts that answer the question, or that they don't say
    (unless ``say_when_silent`` is false: then nothing is said).

    Returns whether they did (the caller records a question they did not answer)."""
    lang, name = asked.lang, site.name(asked.lang)
    found = find_passages(catalogue, site, asked.text, lang)
    if not found and not say_when_silent:
        return False
    if found:
        dispatcher.utter_message(text=sentence("passages_found", lang, site=name))
        dispatcher.utter_message(text=" ".join(passage.text for passage in found))
        other = next((passage.lang for passage in found if passage.lang != lang), None)
        if other is not None:
            dispatcher.utter_message(
                response="utter_text_in_other_language",
                text_language=wording.language_name(other, lang),
            )
    else:
        dispatcher.utter_message(text=sentence("passages_none", lang, site=name))
    dispatcher.utter_message(response="utter_links_story", site=site.key)
    return bool(found)


def site_buttons(sites: Iterable[Site], lang: str) -> list[dict[str, str]]:
    """One button per site that asks about it (an intent payload: no NLU needed)."""
    return [
        {"title": site.name(lang), "payload": f"/ask_about{json.dumps({'site': site.key})}"}
        for site in sites
    ]


ANSWERS: dict[Topic, Callable[[CollectingDispatcher, Site, Asked, Catalogue], None]] = {
    Topic.ABOUT: about,
    Topic.HISTORY: history,
    Topic.HOURS: hours,
    Topic.TICKETS: tickets,
    Topic.DIRECTIONS: directions,
    Topic.NEARBY: nearby,
    Topic.NARRATION: narration,
}
