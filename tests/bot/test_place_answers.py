"""Answers about getting there, provinces, places outside the area and anything else a
site's texts say (real Tracker, real database of test sites, the shipped places)."""

from typing import Any

import pytest
from sqlalchemy import Engine

from bot.actions.conversation import ActionFallback, ActionOutOfScope
from bot.actions.region_actions import ActionProvince
from bot.actions.site_actions import ActionSiteDetail, ActionSiteDirections, ActionSiteTickets
from sites_data.activity import ActivityLog, Unanswered
from sites_data.db import Database
from sites_data.store import SiteStore
from tests.bot.conftest import NAMES
from tests.bot.running import run_action
from tests.factories import human_texts, make_site, make_tracker, site_document

pytestmark = pytest.mark.usefixtures("knowledge_engine")

SOURCE = {"url": "https://example.org/road", "title": "A road guide"}
SWIMMING = "People swim here at dawn before the sun is up."
TOWER_NORTH = "The Test Tower stands about eight kilometres to the north."


@pytest.fixture
def travel_site(knowledge_engine: Engine) -> None:
    """A beach with a journey from Phan Rang and a bus a source describes."""
    SiteStore(Database(knowledge_engine)).load(
        [
            make_site(
                "test-bay",
                category="beach",
                names={**NAMES, "en": "Test Bay", "vi": "Vịnh Thử"},
                aliases={**site_document()["aliases"], "en": ["Trial Bay"], "vi": ["Vinh Thu"]},
                location={"lat": 11.70, "lon": 109.19},
                province={
                    "current": "Khánh Hòa",
                    "former": "Ninh Thuận",
                    "former_district": "Ninh Hải",
                },
                description=human_texts(
                    en="A quiet bay with clear water and coral.", vi="Một vịnh yên tĩnh."
                ),
                notes=human_texts(en=f"{SWIMMING}\nThe coral is sharp.\n{TOWER_NORTH}"),
                getting_there={
                    "journeys": [
                        {
                            "place": "phan-rang-centre",
                            "km": 42.0,
                            "minutes": 60,
                            "source": SOURCE,
                            "read": "2026-12-01",
                        }
                    ],
                    "public_transport": [
                        {
                            "text": human_texts(en="Bus 7 leaves the market every hour."),
                            "source": SOURCE,
                            "read": "2026-12-01",
                        }
                    ],
                },
            )
        ]
    )


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


@pytest.mark.usefixtures("travel_site")
def test_getting_there_from_a_named_town_gives_the_sources_road_distance() -> None:
    tracker = make_tracker(
        "how long from phan rang to test bay", "ask_directions", slots={"site": "test-bay"}
    )
    messages, _ = run_action(ActionSiteDirections(), tracker)
    said = texts(messages)
    assert "Phan Rang city centre → Test Bay: about 42 km by road, about 60 minutes" in said
    assert "A road guide" in said and "2026-12-01" in said
    assert "straight line" not in said


@pytest.mark.usefixtures("travel_site")
def test_getting_there_without_a_town_gives_every_journey_and_bus() -> None:
    tracker = make_tracker("how do I get there", "ask_directions", slots={"site": "test-bay"})
    said = texts(run_action(ActionSiteDirections(), tracker)[0])
    assert "about 42 km by road" in said
    assert "Bus 7 leaves the market every hour. (according to A road guide" in said


@pytest.mark.usefixtures("travel_site")
def test_a_town_no_source_describes_gets_a_straight_line_said_to_be_one() -> None:
    tracker = make_tracker(
        "how far is it from the phu cat airport", "ask_directions", slots={"site": "test-bay"}
    )
    said = texts(run_action(ActionSiteDirections(), tracker)[0])
    assert "None of the guide's sources gives the road distance from Phù Cát Airport" in said
    assert "Phù Cát Airport → Test Bay:" in said and "in a straight line" in said


@pytest.mark.usefixtures("travel_site")
def test_the_way_between_two_sites_says_what_their_texts_say_of_each_other() -> None:
    tracker = make_tracker(
        "how far is test bay from test tower", "ask_directions", slots={"site": "test-bay"}
    )
    said = texts(run_action(ActionSiteDirections(), tracker)[0])
    assert "in a straight line" in said and TOWER_NORTH in said
    assert SWIMMING not in said


@pytest.mark.usefixtures("travel_site")
def test_from_there_is_from_the_site_talked_about_before() -> None:
    earlier = [
        {"event": "user", "text": "test tower?"},
        {"event": "slot", "name": "site", "value": "test-tower"},
    ]
    tracker = make_tracker(
        "can I walk to test bay from there",
        "ask_directions",
        slots={"site": "test-bay"},
        earlier=earlier,
        this_turn=[{"event": "slot", "name": "site", "value": "test-bay"}],
    )
    said = texts(run_action(ActionSiteDirections(), tracker)[0])
    assert "Test Tower → Test Bay:" in said and TOWER_NORTH in said


def test_province_of_a_site_a_town_and_a_former_province() -> None:
    site = make_tracker(
        "which province is far tower in now", "ask_province", slots={"site": "far-tower"}
    )
    said = texts(run_action(ActionProvince(), site)[0])
    assert "Far Tower is now in Khánh Hòa province" in said and "Ninh Thuận" in said
    town = make_tracker("归仁现在属于哪个省", "ask_province", slots={"language": "zh"})
    assert "嘉莱\uff08Gia Lai\uff09" in texts(run_action(ActionProvince(), town)[0])
    merged = make_tracker("what happened to binh dinh province", "ask_province")
    said = texts(run_action(ActionProvince(), merged)[0])
    assert "Bình Định is no longer a province of its own" in said and "Gia Lai" in said


def test_a_place_outside_the_area_is_said_to_be_outside_it() -> None:
    tracker = make_tracker("how far are the mui ne sand dunes", "ask_directions")
    said = texts(run_action(ActionSiteDirections(), tracker)[0])
    assert "Mũi Né" in said and "outside the area this guide covers" in said
    assert "Lâm Đồng" in said


@pytest.mark.usefixtures("travel_site")
def test_a_question_no_intent_answers_is_answered_from_the_sites_texts(
    knowledge_engine: Engine,
) -> None:
    tracker = make_tracker("can we swim at test bay", "ask_detail", slots={"site": "test-bay"})
    said = texts(run_action(ActionSiteDetail(), tracker)[0])
    assert "Here is what the guide's texts on Test Bay say:" in said and SWIMMING in said
    assert ActivityLog(Database(knowledge_engine)).questions() == []


@pytest.mark.usefixtures("travel_site")
def test_what_the_texts_do_not_say_is_said_and_noted_for_the_staff(
    knowledge_engine: Engine,
) -> None:
    tracker = make_tracker("is there wifi at test bay", "ask_detail", slots={"site": "test-bay"})
    messages, _ = run_action(ActionSiteDetail(), tracker)
    assert "The guide's texts on Test Bay don't say." in texts(messages)
    assert messages[-1]["response"] == "utter_links_story"
    [question] = ActivityLog(Database(knowledge_engine)).questions()
    assert (question.reason, question.site_key) == (Unanswered.NOT_IN_TEXTS, "test-bay")


@pytest.mark.usefixtures("travel_site")
@pytest.mark.parametrize(
    ("text", "intent", "lang", "silent"),
    [
        ("how much is parking at test bay", "ask_tickets", "en", "don't say"),
        ("vịnh thử có chỗ đậu xe ko", "ask_directions", "vi", "chưa nói đến điều này"),
        ("На Test Bay есть туалет? сколько стоит", "ask_tickets", "ru", "об этом не сказано"),  # noqa: RUF001
    ],
)
def test_a_question_about_a_facility_is_one_for_the_texts_whatever_its_words(
    knowledge_engine: Engine, text: str, intent: str, lang: str, silent: str
) -> None:
    tracker = make_tracker(text, intent, slots={"site": "test-bay", "language": lang})
    messages, _ = run_action(ActionSiteTickets(), tracker)
    assert silent in texts(messages)
    assert not any("utter_tickets" in str(message.get("response")) for message in messages)
    [question] = ActivityLog(Database(knowledge_engine)).questions()
    assert question.reason == Unanswered.NOT_IN_TEXTS


@pytest.mark.usefixtures("travel_site")
def test_never_out_of_scope_when_the_message_names_a_site() -> None:
    named = make_tracker(
        "is swimming ok at test bay",
        "out_of_scope",
        slots={"site": "test-bay"},
        this_turn=[{"event": "slot", "name": "site", "value": "test-bay"}],
    )
    said = texts(run_action(ActionOutOfScope(), named)[0])
    assert SWIMMING in said
    # Not understood, but the site is in context: its texts are searched too.
    context = make_tracker("swim??", "nlu_fallback", slots={"site": "test-bay"})
    assert SWIMMING in texts(run_action(ActionFallback(), context)[0])
    # Out of scope and naming no site: declined as before.
    weather = make_tracker(
        "what's the weather tomorrow", "out_of_scope", slots={"site": "test-bay"}
    )
    assert run_action(ActionOutOfScope(), weather)[0][0]["response"] == "utter_out_of_scope"


@pytest.mark.usefixtures("travel_site")
def test_a_bare_name_is_what_the_site_is_and_hours_words_get_the_hours() -> None:
    bare = make_tracker("test bay?", "ask_detail", slots={"site": "test-bay"})
    assert run_action(ActionSiteDetail(), bare)[0][0]["response"] == "utter_about"
    both = make_tracker(
        "when does test bay open? and is it free?", "ask_detail", slots={"site": "test-bay"}
    )
    said = [message.get("response") for message in run_action(ActionSiteDetail(), both)[0]]
    assert said[:2] == ["utter_hours_regular", "utter_tickets_priced"]


def test_each_question_of_a_message_is_searched() -> None:
    from bot.actions.passages import find_passages
    from sites_data.files import read_site_files
    from sites_data.search import SearchIndex
    from sites_data.store import Catalogue

    sites = read_site_files()
    catalogue = Catalogue({site.key: site for site in sites}, SearchIndex(sites))
    found = find_passages(
        catalogue, catalogue.sites["phu-loc"], "Phu Loc塔有多高\uff1f要爬很多台阶吗", "zh"
    )
    assert any("15米" in passage.text for passage in found)  # 塔高约15米: 高 inside 塔高
    korean = find_passages(catalogue, catalogue.sites["ky-co"], "키코에서 스노클링 돼요?", "ko")
    assert any("스노클링" in passage.text for passage in korean)  # 스노클링을: one word


def test_a_festival_named_in_any_question_is_answered_from_its_data() -> None:
    tracker = make_tracker("when is kate this year", "nlu_fallback")
    messages, _ = run_action(ActionFallback(), tracker)
    assert messages[0]["response"] == "utter_festival"
    assert messages[0]["festival_name"] == "Katê festival"


@pytest.mark.usefixtures("travel_site")
def test_what_is_near_a_site_asked_in_any_words_gets_the_nearby_sites() -> None:
    tracker = make_tracker(
        "anything else to see near test bay", "ask_detail", slots={"site": "test-bay"}
    )
    messages, _ = run_action(ActionSiteDetail(), tracker)
    assert messages[0]["response"] == "utter_nearby"
