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
from enum import StrEnum
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions import wording
from sites_data.schema import Localized, Reported, Site
from sites_data.store import Catalogue

NEARBY_RADIUS_KM = 20.0
NEARBY_COUNT = 5
NEAREST_ANYWHERE = 3
# Narration paragraphs that carry dates are the history (searching the Vietnamese and
# English narrations, the only ones the knowledge base keeps).
HISTORY_MARKERS = re.compile(r"\b\d{3,4}\b|centur|thế kỷ", re.IGNORECASE)
HISTORY_PARAGRAPHS = 2


class Topic(StrEnum):
    ABOUT = "about"
    HISTORY = "history"
    HOURS = "hours"
    TICKETS = "tickets"
    DIRECTIONS = "directions"
    NEARBY = "nearby"
    NARRATION = "narration"


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


def about(dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue) -> None:
    description = wording.in_language(site.description, lang)
    say_in_language(
        dispatcher,
        description,
        lang,
        {"response": "utter_about", "site_name": site.name(lang), "description": description.text},
        {"response": "utter_links_story", "site": site.key},
    )


def history(dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue) -> None:
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


def hours(dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue) -> None:
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


def tickets(dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue) -> None:
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
    dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue
) -> None:
    address = wording.in_language(site.address, lang)
    coordinates = {"lat": f"{site.location.lat:.4f}", "lon": f"{site.location.lon:.4f}"}
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
        {"response": "utter_links_way", "site": site.key, **coordinates},
    )


def nearby(dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue) -> None:
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
    dispatcher: CollectingDispatcher, site: Site, lang: str, catalogue: Catalogue
) -> None:
    dispatcher.utter_message(response="utter_narration", site_name=site.name(lang))
    dispatcher.utter_message(response="utter_links_story", site=site.key)


def site_buttons(sites: Iterable[Site], lang: str) -> list[dict[str, str]]:
    """One button per site that asks about it (an intent payload: no NLU needed)."""
    return [
        {"title": site.name(lang), "payload": f"/ask_about{json.dumps({'site': site.key})}"}
        for site in sites
    ]


ANSWERS: dict[Topic, Callable[[CollectingDispatcher, Site, str, Catalogue], None]] = {
    Topic.ABOUT: about,
    Topic.HISTORY: history,
    Topic.HOURS: hours,
    Topic.TICKETS: tickets,
    Topic.DIRECTIONS: directions,
    Topic.NEARBY: nearby,
    Topic.NARRATION: narration,
}
