"""Where things are: the province a site, town or airport is in since the 2025 merger, and
the places outside the area that visitors confuse with it."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.actions import knowledge, wording
from bot.actions.answers import Asked, sentence
from bot.actions.mentions import Kind, Mention
from bot.actions.slots import SITE, language_of
from sites_data.places import places, provinces
from sites_data.region import outside_places
from sites_data.store import Catalogue

# Languages whose readers meet the Vietnamese names on signs: the name follows in brackets.
SHOW_VIETNAMESE = frozenset({"zh", "ko", "ja", "ru"})


async def asked(tracker: Tracker) -> tuple[Asked, Catalogue]:
    """The visitor's latest message as the answers read it, and the current catalogue."""
    catalogue = await knowledge.catalogue()
    text = str(tracker.latest_message.get("text") or "")
    finder = knowledge.name_finder(catalogue)
    mentions = tuple(finder.find(text))
    return Asked(language_of(tracker), text, mentions, finder.named_share(text)), catalogue


def province_name(province: str, lang: str) -> str:
    """A province as ``lang`` writes it, with the Vietnamese name where signs show only that."""
    local = provinces().name(province, lang)
    if lang in SHOW_VIETNAMESE and local != province:
        return f"{local}{wording.parenthesised(province, lang)}"
    return local


def outside_named(dispatcher: CollectingDispatcher, asked: Asked) -> bool:
    """Say where the place outside the area is, when the message names one and no site of
    the guide; returns whether it did."""
    outside = asked.named(Kind.OUTSIDE)
    if not outside or asked.named(Kind.SITE):
        return False
    lang = asked.lang
    place = next(place for place in outside_places() if place.key == outside[0])
    dispatcher.utter_message(
        text=sentence(
            "outside",
            lang,
            name=place.name(lang),
            city=wording.in_language(place.city, lang).text,
            current=province_name(place.province.current, lang),
            former=province_name(place.province.former, lang),
            summary=wording.in_language(place.summary, lang).text,
        )
    )
    return True


def province_lines(asked: Asked, catalogue: Catalogue, context_site: str | None) -> list[str]:
    """The province of each site, town and airport the message names (or of the site in
    context), and what became of each former province it names; both mergers otherwise."""
    lang = asked.lang
    known = provinces()
    source = known.source["title"]
    by_place = {place.key: place for place in places()}
    lines = []
    for mention in asked.mentions:
        if mention.kind == Kind.SITE:
            site = catalogue.sites[mention.key]
            name, current = site.name(lang), site.province.current
            former: str = site.province.former
        elif mention.kind == Kind.PLACE:
            place = by_place[mention.key]
            name, current = place.name(lang), place.province
            former = place.former_province or ""
        elif mention.kind == Kind.PROVINCE and mention.key in known.merged_into:
            lines.append(_merged(mention.key, lang))
            continue
        else:
            continue
        if former and former != current:
            lines.append(
                sentence(
                    "province_now",
                    lang,
                    name=name,
                    current=province_name(current, lang),
                    former=province_name(former, lang),
                    source=source,
                )
            )
        else:
            lines.append(
                sentence(
                    "province_unchanged", lang, name=name, current=province_name(current, lang)
                )
            )
    if not lines and context_site in catalogue.sites:
        site = catalogue.sites[context_site]
        return province_lines(Asked(lang, asked.text, (_site_mention(site.key),)), catalogue, None)
    return lines or [_merged(former, lang) for former in known.merged_into]


def _merged(former: str, lang: str) -> str:
    known = provinces()
    return sentence(
        "province_merged",
        lang,
        former=province_name(former, lang),
        current=province_name(known.merged_into[former], lang),
        source=known.source["title"],
    )


def _site_mention(key: str) -> Mention:
    return Mention(Kind.SITE, key, 0, 0, 100.0)


class ActionProvince(Action):
    """ "Which province is it in now?" after the 2025 merger of provinces."""

    def name(self) -> str:
        return "action_province"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        question, catalogue = await asked(tracker)
        if outside_named(dispatcher, question):
            return []
        for line in province_lines(question, catalogue, tracker.get_slot(SITE)):
            dispatcher.utter_message(text=line)
        return []
