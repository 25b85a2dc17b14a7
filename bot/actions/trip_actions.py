"""Ideas for a visit: sites by interest, a one-day plan, and festivals, from the knowledge base."""

import json
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.actions import knowledge, wording
from bot.actions.answers import Topic, site_buttons
from bot.actions.festival_answers import say_festivals
from bot.actions.region_actions import asked
from bot.actions.site_actions import answer
from bot.actions.slots import SITE, entity_values, language_of, site_set_this_turn
from sites_data.geo import distance_km
from sites_data.schema import Site
from sites_data.store import Catalogue

RECOMMENDED_COUNT = 6
# A day out: up to this many stops, each at most this far (straight line) from the last.
DAY_STOPS = 5
DAY_LEG_KM = 25.0
FORMER_PROVINCES = ("Bình Định", "Ninh Thuận")


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


class ActionRecommend(Action):
    """Sites of the category the visitor likes, nearest to the site in context first."""

    def name(self) -> str:
        return "action_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        wanted = [
            value for value in entity_values(tracker, "interest") if value in wording.interests()
        ]
        if not wanted and site_set_this_turn(tracker):
            # "When is it best to go to Nam Cương?" asks about that site.
            return await answer(Topic.DETAIL, dispatcher, tracker)
        if not wanted:
            dispatcher.utter_message(
                response="utter_ask_interest",
                buttons=[
                    {
                        "title": wording.interest_name(category, lang),
                        "payload": _payload("recommend", interest=category),
                    }
                    for category in wording.interests()
                ],
            )
            return []
        catalogue = await knowledge.catalogue()
        category = wanted[0]
        sites = [site for site in catalogue.sites.values() if site.category == category]
        here = catalogue.sites.get(tracker.get_slot(SITE) or "")
        if here is not None:
            sites.sort(key=lambda site: _distance(here, site))
        else:
            sites.sort(key=lambda site: site.name(lang))
        chosen = sites[:RECOMMENDED_COUNT]
        dispatcher.utter_message(
            response="utter_recommend",
            interest=wording.interest_name(category, lang),
            sites=wording.listing((site.name(lang) for site in chosen), lang),
            buttons=site_buttons(chosen, lang),
        )
        return []


def _distance(a: Site, b: Site) -> float:
    return distance_km(a.location.lat, a.location.lon, b.location.lat, b.location.lon)


def day_route(catalogue: Catalogue, start: Site) -> list[tuple[Site, float]]:
    """Stops from ``start``, each the nearest unvisited site to the last, with leg lengths."""
    route = [(start, 0.0)]
    left = [site for site in catalogue.sites.values() if site.key != start.key]
    while len(route) < DAY_STOPS and left:
        last = route[-1][0]
        nearest = min(left, key=lambda site: (_distance(last, site), site.key))
        leg = _distance(last, nearest)
        if leg > DAY_LEG_KM:
            break
        route.append((nearest, leg))
        left.remove(nearest)
    return route


def province_start(catalogue: Catalogue, province: str) -> Site | None:
    """The site nearest the middle of a former province's sites: a central place to start."""
    sites = [site for site in catalogue.sites.values() if site.province.former == province]
    if not sites:
        return None
    lat = sum(site.location.lat for site in sites) / len(sites)
    lon = sum(site.location.lon for site in sites) / len(sites)
    return min(sites, key=lambda site: distance_km(lat, lon, site.location.lat, site.location.lon))


class ActionPlanDay(Action):
    def name(self) -> str:
        return "action_plan_day"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        catalogue = await knowledge.catalogue()
        provinces = [
            value for value in entity_values(tracker, "province") if value in FORMER_PROVINCES
        ]
        here = catalogue.sites.get(tracker.get_slot(SITE) or "")
        start = here
        if provinces and (here is None or here.province.former != provinces[0]):
            start = province_start(catalogue, provinces[0])
        if start is None:
            dispatcher.utter_message(
                response="utter_ask_region",
                buttons=[
                    {"title": province, "payload": _payload("plan_day", province=province)}
                    for province in FORMER_PROVINCES
                ],
            )
            return []
        route = day_route(catalogue, start)
        dispatcher.utter_message(
            response="utter_day_plan",
            start=start.name(lang),
            stops=" → ".join(
                site.name(lang) + (f" ({wording.kilometres(leg, lang)})" if leg else "")
                for site, leg in route
            ),
            total_km=wording.kilometres(sum(leg for _, leg in route), lang).removesuffix(" km"),
            buttons=site_buttons((site for site, _ in route), lang),
        )
        unconfirmed = [site for site, _ in route if site.opening_hours.status == "unknown"]
        if unconfirmed:
            dispatcher.utter_message(
                response="utter_check_hours_before",
                sites=wording.listing((site.name(lang) for site in unconfirmed), lang),
            )
        return [SlotSet(SITE, start.key)]


class ActionFestivals(Action):
    """The festivals the visitor named, or held at the site in question, from their data."""

    def name(self) -> str:
        return "action_festivals"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        question, catalogue = await asked(tracker)
        say_festivals(dispatcher, question, catalogue, tracker.get_slot(SITE))
        return []
