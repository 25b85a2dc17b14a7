"""The words the map itself shows (layer names, links, controls), read from ``labels.yaml``."""

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, ValidationInfo, field_validator

from maps.datafile import Translations, invalid, read_yaml
from sites_data.geo import COMPASS_POINTS
from sites_data.schema import Category, Strict

LABELS_FILE = Path(__file__).with_name("labels.yaml")

# What the guide fills in, per "you are here" text; a translation that drops one loses it.
HERE_PLACEHOLDERS = {
    "at": ("{site}",),
    "distance": ("{distance}", "{direction}"),
    "metres": ("{number}",),
    "kilometres": ("{number}",),
    "next_stop": ("{site}", "{where}"),
    "now_playing": ("{site}",),
}


def _placeholders_kept(field: str, translations: dict[str, str]) -> None:
    for code, text in translations.items():
        lost = [mark for mark in HERE_PLACEHOLDERS.get(field, ()) if mark not in text]
        if lost:
            raise ValueError(f"{code}: keep the placeholder(s) {' '.join(lost)}")


class HereLabels(Strict):
    """The words of "you are here" (maps.here), in every supported language."""

    button: Translations
    explain: Translations
    locating: Translations
    denied: Translations
    unavailable: Translations
    at: Translations
    not_at: Translations
    also_near: Translations
    distance: Translations
    metres: Translations
    kilometres: Translations
    decimal_separator: Translations
    next_stop: Translations
    tour_done: Translations
    now_playing: Translations
    playlist: Translations
    touch_hint: Translations
    compass: dict[Literal["n", "ne", "e", "se", "s", "sw", "w", "nw"], Translations]

    @field_validator(*HERE_PLACEHOLDERS)
    @classmethod
    def _keep_placeholders(
        cls, translations: dict[str, str], info: ValidationInfo
    ) -> dict[str, str]:
        _placeholders_kept(str(info.field_name), translations)
        return translations

    @field_validator("compass")
    @classmethod
    def _every_point(cls, points: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        missing = [point for point in COMPASS_POINTS if point not in points]
        if missing:
            raise ValueError(f"missing the compass point(s) {', '.join(missing)}")
        return points


class MapLabels(Strict):
    """Every label in every supported language; reading the file checks that."""

    title: Translations
    description: Translations
    listen: Translations
    ask: Translations
    directions: Translations
    search_placeholder: Translations
    search_not_found: Translations
    search_cancel: Translations
    locate_title: Translations
    fullscreen: Translations
    fullscreen_exit: Translations
    zoom_in: Translations
    zoom_out: Translations
    layers: Translations
    tour_stops: Translations
    route_note: Translations
    machine_translation: Translations
    categories: dict[Category, Translations]
    here: HereLabels

    @field_validator("categories")
    @classmethod
    def _every_category(cls, names: dict[Category, Translations]) -> dict[Category, Translations]:
        missing = [category.value for category in Category if category not in names]
        if missing:
            raise ValueError(f"missing the category(ies) {', '.join(missing)}")
        return names

    def translations(self) -> list[tuple[str, dict[str, str]]]:
        """Every label of the map page as ``(field, translations)``, categories as
        ``categories.<category>``; the words of "you are here" are in ``here``."""
        plain = [(name, value) for name, value in self if name not in ("categories", "here")]
        return plain + [
            (f"categories.{Category(category).value}", value)
            for category, value in self.categories.items()
        ]

    def category(self, category: str, lang: str) -> str:
        return self.categories[Category(category)][lang]


def read_labels(path: Path) -> MapLabels:
    """The labels in ``path``; raises MapDataError naming the file and field of every problem."""
    document = read_yaml(path)
    try:
        return MapLabels.model_validate(document)
    except ValidationError as error:
        raise invalid(path, error) from None


@cache
def load_labels() -> MapLabels:
    """The shipped labels, read once per process."""
    return read_labels(LABELS_FILE)
