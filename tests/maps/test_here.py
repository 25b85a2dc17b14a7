""" "You are here" as the guide words it: the site a position is in, or the nearest ones with
distance and compass direction, and a tour's next stop, in every language."""

import pytest

from maps.here import format_distance, whereabouts
from maps.labels import load_labels
from maps.tours import Tour
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site

# Tháp Đôi stands at (13.7869, 109.2103) in Quy Nhơn.
THAP_DOI = (13.7869, 109.2103)


def _site(sites: list[Site], key: str) -> Site:
    return next(site for site in sites if site.key == key)


def test_at_a_site_in_every_language(shipped_sites: list[Site]) -> None:
    here = load_labels().here
    lat, lon = THAP_DOI[0] + 0.0005, THAP_DOI[1]  # 56 m north of its centre
    for lang in LANGUAGE_CODES:
        answer = whereabouts(shipped_sites, lat, lon, lang)
        name = _site(shipped_sites, "thap-doi").name(lang)
        assert answer["at"]["key"] == "thap-doi"
        assert answer["at"]["page"] == f"/s/thap-doi?lang={lang}"
        assert answer["text"] == here.at[lang].replace("{site}", name)
        assert answer["nearest_title"] == here.also_near[lang]
        assert len(answer["nearest"]) == 3
        assert "thap-doi" not in [place["key"] for place in answer["nearest"]]


def test_not_at_a_site_gives_the_nearest_with_distance_and_direction(
    shipped_sites: list[Site],
) -> None:
    # 2 km due west of Tháp Đôi, in the city: nowhere's area.
    lat, lon = THAP_DOI[0], THAP_DOI[1] - 0.0185
    answer = whereabouts(shipped_sites, lat, lon, "en")
    assert answer["at"] is None
    assert answer["text"] == "You are not at any of the sites. The nearest:"
    first = answer["nearest"][0]
    assert first["key"] == "thap-doi"
    assert first["direction"] == "e"
    assert first["distance_m"] == pytest.approx(2000, abs=20)
    assert first["where"] == "2.0 km east"
    distances = [place["distance_m"] for place in answer["nearest"]]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("lang", "where"),
    [
        ("vi", "2,0 km về phía đông"),
        ("en", "2.0 km east"),
        ("zh", "东方向 2.0 公里"),
        ("ko", "동쪽으로 2.0km"),
        ("ja", "東へ2.0 km"),
        ("fr", "à 2,0 km à l'est"),
        ("ru", "2,0 км к востоку"),
        ("de", "2,0 km östlich"),
    ],
)
def test_distance_and_direction_read_right_in_each_language(
    shipped_sites: list[Site], lang: str, where: str
) -> None:
    answer = whereabouts(shipped_sites, THAP_DOI[0], THAP_DOI[1] - 0.0185, lang)
    assert answer["nearest"][0]["where"] == where


def test_distances_are_rounded_for_reading() -> None:
    here = load_labels().here
    assert format_distance(4, "en", here) == "10 m"
    assert format_distance(347, "en", here) == "350 m"
    assert format_distance(999, "en", here) == "1000 m"
    assert format_distance(1249, "de", here) == "1,2 km"
    assert format_distance(23_400, "ru", here) == "23 км"


def test_on_a_tour_the_next_stop_follows_the_one_the_visitor_is_at(
    shipped_sites: list[Site], shipped_tours: list[Tour]
) -> None:
    tour = next(tour for tour in shipped_tours if tour.key == "vijaya-towers")
    first, second = tour.stops[0], tour.stops[1]
    site = _site(shipped_sites, first)
    answer = whereabouts(shipped_sites, site.location.lat, site.location.lon, "en", tour)
    assert answer["tour"]["at_stop"] == 0
    assert answer["tour"]["next"]["key"] == second
    assert answer["tour"]["text"].startswith(
        f"Next stop: {_site(shipped_sites, second).name('en')}, "
    )
    assert [stop["key"] for stop in answer["tour"]["stops"]] == tour.stops


def test_at_the_last_stop_the_tour_is_done(
    shipped_sites: list[Site], shipped_tours: list[Tour]
) -> None:
    tour = shipped_tours[0]
    last = _site(shipped_sites, tour.stops[-1])
    answer = whereabouts(shipped_sites, last.location.lat, last.location.lon, "fr", tour)
    assert answer["tour"]["next"] is None
    assert answer["tour"]["text"] == load_labels().here.tour_done["fr"]


def test_between_stops_the_next_is_the_nearest_stop(
    shipped_sites: list[Site], shipped_tours: list[Tour]
) -> None:
    tour = next(tour for tour in shipped_tours if tour.key == "vijaya-towers")
    answer = whereabouts(shipped_sites, THAP_DOI[0], THAP_DOI[1] - 0.0185, "en", tour)
    assert answer["tour"]["at_stop"] is None
    assert answer["tour"]["next"]["key"] == "thap-doi"
