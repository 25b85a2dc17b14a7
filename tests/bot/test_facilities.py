"""Facilities named in visitors' messages and in the sites' texts (bot.actions.facilities)."""

import pytest

from bot.actions.facilities import facilities_named, names_facility


@pytest.mark.parametrize(
    ("message", "lang", "named"),
    [
        ("tháp đôi có chỗ đậu xe hơi ko", "vi", {"parking"}),
        ("ra cù lao xanh có cây atm rút tiền ko", "vi", {"cash"}),
        ("eo gió cho bay flycam ko ad", "vi", {"drones"}),
        ("ズオンロン塔の近くにトイレや売店ありますか", "ja", {"toilets", "food"}),
        ("на дюнах можно покататься на квадроцикле? сколько стоит", "ru", {"quad_bikes"}),
        ("Gibt es Toiletten und Parkplätze?", "de", {"toilets", "parking"}),
        ("y a-t-il des toilettes ?", "fr", {"toilets"}),
        ("빈히만 주차장 있어요? parking fee?", "ko", {"parking"}),
        # Not facilities: a name that begins like one (Klong, Kló), prices, the way there
        ("Öffnungszeiten der Po Klong Garai Türme?", "de", set()),
        ("how much is the ticket", "en", set()),
        ("đi xe buýt tới tháp đôi được không", "vi", set()),
        ("cách Quy Nhơn bao xa", "vi", set()),
    ],
)
def test_facilities_named_in_a_message(message: str, lang: str, named: set[str]) -> None:
    assert facilities_named(message, lang) == named


def test_a_passage_names_a_facility_in_its_own_language() -> None:
    assert names_facility("Beachside restaurants may charge for parking.", "en", "parking")
    assert names_facility("Có bãi giữ xe trước cổng.", "vi", "parking")
    assert not names_facility("The path up is steep and winding.", "en", "parking")
