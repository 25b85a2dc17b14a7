"""Where a visitor is "at" a site: a radius or a polygon as data, a default per category."""

from typing import Any

import pytest
from pydantic import ValidationError

from sites_data.files import validation_problems
from sites_data.geo import bearing_deg, compass_point, distance_m, inside_polygon
from sites_data.schema import DEFAULT_AREA_RADIUS_M, Category, Site
from tests.factories import make_site, site_document

# The factory site stands at (13.78, 109.21); 0.001° of latitude is about 111 m.
LAT, LON = 13.78, 109.21
SQUARE = [
    {"lat": 13.779, "lon": 109.209},
    {"lat": 13.779, "lon": 109.212},
    {"lat": 13.782, "lon": 109.212},
    {"lat": 13.782, "lon": 109.209},
]


def _problems(**overrides: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Site.model_validate(site_document(**overrides))
    return [(p.field, p.message) for p in validation_problems("f.yaml", caught.value)]


def test_without_an_area_a_site_has_its_categorys_default_radius() -> None:
    tower = make_site()  # a Cham tower: 150 m
    assert DEFAULT_AREA_RADIUS_M[Category.CHAM_TOWER] == 150
    assert tower.contains(LAT + 0.0012, LON)  # 133 m north
    assert not tower.contains(LAT + 0.0015, LON)  # 167 m north
    beach = make_site(category="beach")
    assert beach.contains(LAT + 0.007, LON)  # 778 m: within a beach's 800 m


def test_every_category_has_a_default_radius() -> None:
    assert set(DEFAULT_AREA_RADIUS_M) == set(Category)


def test_a_radius_of_its_own() -> None:
    site = make_site(area={"radius_m": 500})
    assert site.contains(LAT + 0.004, LON)  # 445 m
    assert not site.contains(LAT + 0.005, LON)  # 556 m


def test_a_polygon() -> None:
    site = make_site(area={"polygon": SQUARE})
    assert site.contains(13.7815, 109.2115)  # inside, 190 m from the location
    assert not site.contains(13.7805, 109.2125)  # just east of the square, 140 m away


def test_an_area_is_a_radius_or_a_polygon_not_both_nor_neither() -> None:
    message = "give either radius_m or polygon (at least three corners), not both"
    assert _problems(area={}) == [("area", message)]
    assert _problems(area={"radius_m": 100, "polygon": SQUARE}) == [("area", message)]


@pytest.mark.parametrize(
    ("area", "field", "words"),
    [
        ({"radius_m": 0}, "area.radius_m", "greater than 0"),
        ({"radius_m": 20_000}, "area.radius_m", "less than or equal to 15000"),
        ({"polygon": SQUARE[:2]}, "area.polygon", "at least 3"),
        ({"polygon": [*SQUARE[:3], {"lat": 109.21, "lon": 13.78}]}, "area.polygon.3.lat", "90"),
        ({"radius_m": 100, "shape": "circle"}, "area.shape", ""),
    ],
)
def test_a_bad_area_names_its_field(area: dict[str, object], field: str, words: str) -> None:
    problems = _problems(area=area)
    assert any(found == field and words in text for found, text in problems), problems


def test_a_polygon_far_from_the_site_is_refused_with_the_corner() -> None:
    far = [*SQUARE[:3], {"lat": 13.98, "lon": 109.21}]  # 22 km north
    assert _problems(area={"polygon": far}) == [
        (
            "area.polygon.3",
            "(13.98, 109.21) is 22.2 km from the site's location; corners must lie within "
            "15 km (check the order: lat, lon)",
        )
    ]


def test_distance_bearing_and_compass() -> None:
    assert distance_m(13.78, 109.21, 13.79, 109.21) == pytest.approx(1112, abs=2)
    assert bearing_deg(13.78, 109.21, 13.79, 109.21) == pytest.approx(0, abs=0.01)
    assert bearing_deg(13.78, 109.21, 13.78, 109.22) == pytest.approx(90, abs=0.01)
    assert [compass_point(b) for b in (0, 44, 46, 90, 180, 225, 270, 315, 338, 359)] == [
        "n", "ne", "ne", "e", "s", "sw", "w", "nw", "n", "n",
    ]  # fmt: skip


def test_inside_a_concave_polygon() -> None:
    # An L shape: the notch at the top right is outside.
    shape = [(0, 0), (0, 2), (1, 2), (1, 1), (2, 1), (2, 0)]
    assert inside_polygon(0.5, 1.5, shape)
    assert inside_polygon(1.5, 0.5, shape)
    assert not inside_polygon(1.5, 1.5, shape)
    assert not inside_polygon(3, 3, shape)
