"""Festivals from their data (festivals.yaml): when each falls, the dates a source
published, what happens, where."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions import wording
from bot.actions.answers import Asked, say_in_language
from bot.actions.mentions import Kind
from sites_data.region import Festival, festivals, festivals_at
from sites_data.schema import Site
from sites_data.store import Catalogue

FESTIVAL_COUNT = 4  # asked about festivals in general: the first ones of festivals.yaml


def _festival_message(festival: Festival, site: Site | None, lang: str) -> dict[str, Any]:
    """One festival: its name, when it falls, the dates a source published, what happens."""
    dates = sorted(festival.dates, key=lambda day: day.start, reverse=True)
    if dates:
        latest = dates[0]
        days = latest.start.isoformat()
        if latest.end != latest.start:
            days += f" – {latest.end.isoformat()}"
        published = wording.festival_dates(days, latest.source.title, lang)
    else:
        published = wording.festival_no_dates(lang)
    return {
        "response": "utter_festival",
        "festival_name": festival.name(lang),
        "where": wording.parenthesised(site.name(lang), lang) if site else "",
        "rule": wording.in_language(festival.rule, lang).text,
        "dates": published,
        "description": wording.in_language(festival.description, lang).text,
    }


def say_festivals(
    dispatcher: CollectingDispatcher, question: Asked, catalogue: Catalogue, site_key: str | None
) -> None:
    """The festivals the message names; else those held at the site (``site_key``); else the
    first ones of festivals.yaml."""
    lang = question.lang
    by_key = {festival.key: festival for festival in festivals()}
    named = [by_key[key] for key in dict.fromkeys(question.named(Kind.FESTIVAL))]
    site = catalogue.sites.get(site_key or "")
    if named:
        chosen = [(festival, _main_site(festival, catalogue)) for festival in named]
    elif site is not None and festivals_at(site.key):
        chosen = [(festival, site) for festival in festivals_at(site.key)]
    elif site is not None and question.named(Kind.SITE):
        dispatcher.utter_message(response="utter_no_festival", site_name=site.name(lang))
        return
    else:
        chosen = [(festival, _main_site(festival, catalogue)) for festival in festivals()]
        chosen = chosen[:FESTIVAL_COUNT]
        if not chosen:
            dispatcher.utter_message(response="utter_no_festivals")
            return
    rule = wording.in_language(chosen[0][0].rule, lang)
    say_in_language(
        dispatcher,
        rule,
        lang,
        *(_festival_message(festival, where, lang) for festival, where in chosen),
        *(
            {"response": "utter_links_story", "site": key}
            for key in dict.fromkeys(where.key for _, where in chosen if where is not None)
        ),
    )


def _main_site(festival: Festival, catalogue: Catalogue) -> Site | None:
    return catalogue.sites.get(festival.sites[0]) if festival.sites else None
