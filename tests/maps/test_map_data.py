"""The map's data files: every label in every language, tours that name real sites."""

from pathlib import Path

import pytest
import yaml

from maps import MapDataError, load_labels, read_tours
from maps.labels import LABELS_FILE, read_labels
from maps.tours import TOURS_FILE, Tour
from sites_data.geo import COMPASS_POINTS
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Category, Site


def test_every_language_has_every_label() -> None:
    labels = load_labels()
    names = [name for name, _ in labels.translations()]
    assert {f"categories.{category.value}" for category in Category} <= set(names)
    for name, translations in labels.translations():
        for lang in LANGUAGE_CODES:
            assert translations.get(lang, "").strip(), f"{name} has no {lang} text"


def test_the_map_words_are_labels() -> None:
    labels = load_labels()
    assert labels.listen["en"] == "Listen"
    assert labels.ask["en"] == "Ask"
    assert labels.directions["en"] == "Directions"


def _labels_without(tmp_path: Path, label: str, lang: str) -> Path:
    document = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    holder = document
    *parents, last = label.split(".")
    for parent in parents:
        holder = holder[parent]
    del holder[last][lang]
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("label", ["listen", "categories.craft_village"])
def test_a_missing_translation_names_the_file_and_label(tmp_path: Path, label: str) -> None:
    with pytest.raises(MapDataError) as caught:
        read_labels(_labels_without(tmp_path, label, "ko"))
    [problem] = caught.value.problems
    assert problem.file.endswith("labels.yaml")
    assert (problem.field, problem.message) == (label, "missing language(s) ko")


@pytest.mark.parametrize(
    ("label", "text", "lost"),
    [("at", "Vous êtes ici", "{site}"), ("distance", "à {distance}", "{direction}")],
)
def test_the_here_messages_keep_their_placeholders(
    tmp_path: Path, label: str, text: str, lost: str
) -> None:
    document = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    document["here"][label]["fr"] = text
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MapDataError) as caught:
        read_labels(path)
    [problem] = caught.value.problems
    assert problem.field == f"here.{label}"
    assert problem.message == f"fr: keep the placeholder(s) {lost}"


def test_every_compass_point_in_every_language() -> None:
    compass = load_labels().here.compass
    assert sorted(compass) == sorted(COMPASS_POINTS)
    for point, translations in compass.items():
        assert sorted(translations) == sorted(LANGUAGE_CODES), point


def test_shipped_tours_name_only_shipped_sites(
    shipped_tours: list[Tour], shipped_sites: list[Site]
) -> None:
    keys = {site.key for site in shipped_sites}
    assert len(shipped_tours) >= 2
    for tour in shipped_tours:
        assert set(tour.stops) <= keys, tour.key
        assert sorted(tour.names) == sorted(LANGUAGE_CODES)
        assert set(tour.description) == set(LANGUAGE_CODES)


def _write_tours(tmp_path: Path, change: dict[str, object]) -> Path:
    document = yaml.safe_load(TOURS_FILE.read_text(encoding="utf-8"))
    document[1].update(change)
    path = tmp_path / "tours.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_tour_naming_an_unknown_site_is_refused(
    tmp_path: Path, shipped_sites: list[Site]
) -> None:
    path = _write_tours(tmp_path, {"stops": ["po-klong-garai", "po-rme"]})
    with pytest.raises(MapDataError) as caught:
        read_tours(path, site_keys={site.key for site in shipped_sites})
    message = str(caught.value)
    assert message.endswith(
        "tours.yaml: phan-rang-cham-crafts.stops: names 'po-rme', which is not a site key"
    )


def test_a_tour_missing_a_language_names_the_tour_and_field(tmp_path: Path) -> None:
    document = yaml.safe_load(TOURS_FILE.read_text(encoding="utf-8"))
    names = {code: text for code, text in document[1]["names"].items() if code != "ja"}
    with pytest.raises(MapDataError) as caught:
        only_vi = {"vi": {"text": "Một", "origin": "human"}}
        read_tours(_write_tours(tmp_path, {"names": names, "description": only_vi}))
    fields = {(problem.field, problem.message) for problem in caught.value.problems}
    assert fields == {
        ("phan-rang-cham-crafts.names", "missing language(s) ja"),
        ("phan-rang-cham-crafts.description", "missing language(s) en"),
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"stops": ["bau-truc"]}, "phan-rang-cham-crafts.stops", "at least 2 items"),
        (
            {"stops": ["bau-truc", "my-nghiep", "bau-truc"]},
            "phan-rang-cham-crafts.stops",
            "bau-truc listed more than once",
        ),
        ({"key": "vijaya-towers"}, "vijaya-towers.key", "used by 2 tours"),
        ({"colour": "red"}, "phan-rang-cham-crafts.colour", "is not a known field"),
    ],
)
def test_tour_mistakes_are_reported_plainly(
    tmp_path: Path, change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(MapDataError) as caught:
        read_tours(_write_tours(tmp_path, change))
    [problem] = caught.value.problems
    assert problem.field == field
    assert message in problem.message


def test_a_tours_file_must_be_a_list(tmp_path: Path) -> None:
    path = tmp_path / "tours.yaml"
    path.write_text("key: vijaya-towers\n", encoding="utf-8")
    with pytest.raises(MapDataError, match=r"tours\.yaml: \(file\): Input should be a valid list"):
        read_tours(path)


def test_a_missing_tours_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MapDataError, match=r"tours\.yaml: \(path\): does not exist"):
        read_tours(tmp_path / "tours.yaml")
