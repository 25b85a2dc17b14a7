"""Festivals and the places outside the area: shipped data complete, bad entries named."""

from pathlib import Path

import pytest

from sites_data.files import SiteFilesError, read_site_files
from sites_data.languages import LANGUAGE_CODES
from sites_data.region import (
    OUTSIDE_FILE,
    read_festivals,
    read_outside_places,
    unknown_sites,
)


def test_every_festival_is_held_at_known_sites_and_speaks_every_language() -> None:
    festivals = read_festivals()
    assert {"kate", "ramuwan"} <= {festival.key for festival in festivals}
    assert unknown_sites({site.key for site in read_site_files()}) == []
    for festival in festivals:
        assert set(festival.names) == set(LANGUAGE_CODES), festival.key
        assert set(festival.description) == set(LANGUAGE_CODES), festival.key
        assert set(festival.rule) == set(LANGUAGE_CODES), festival.key
        for day in festival.dates:
            assert day.source.url.startswith("http")


def test_every_place_outside_the_area_says_where_it_is_in_every_language() -> None:
    places = read_outside_places()
    keys = {place.key for place in places}
    assert {"po-nagar", "po-sah-inu", "my-son"} <= keys
    covered = {site.key for site in read_site_files()}
    assert not keys & covered
    for place in places:
        assert set(place.summary) == set(LANGUAGE_CODES), place.key
        assert set(place.city) == set(LANGUAGE_CODES), place.key
        assert place.province.current and place.province.source.url.startswith("http")


def test_a_bad_entry_is_named_by_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "outside.yaml"
    text = OUTSIDE_FILE.read_text("utf-8").replace("  summary:\n", "  summry:\n", 1)
    broken.write_text(text, "utf-8")
    with pytest.raises(SiteFilesError) as caught:
        read_outside_places(broken)
    fields = {(problem.field, problem.message) for problem in caught.value.problems}
    assert ("0.summary", "is required but missing") in fields
    assert ("0.summry", "is not a known field; check its spelling and indentation") in fields
