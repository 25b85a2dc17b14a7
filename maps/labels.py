"""The words the map itself shows (layer names, links, controls), read from ``labels.yaml``."""

from functools import cache
from pathlib import Path

from pydantic import ValidationError, field_validator

from maps.datafile import Translations, invalid, read_yaml
from sites_data.schema import Category, Strict

LABELS_FILE = Path(__file__).with_name("labels.yaml")

# The locate control fills these in; a translation that drops one loses the distance.
LOCATE_PLACEHOLDERS = ("{distance}", "{unit}")


class MapLabels(Strict):
    """Every label in every supported language; reading the file checks that."""

    title: Translations
    listen: Translations
    ask: Translations
    directions: Translations
    search_placeholder: Translations
    search_not_found: Translations
    search_cancel: Translations
    locate_title: Translations
    locate_popup: Translations
    locate_metres: Translations
    fullscreen: Translations
    fullscreen_exit: Translations
    zoom_in: Translations
    zoom_out: Translations
    layers: Translations
    tour_stops: Translations
    virtual_tour: Translations
    route_note: Translations
    machine_translation: Translations
    categories: dict[Category, Translations]

    @field_validator("locate_popup")
    @classmethod
    def _placeholders_kept(cls, translations: dict[str, str]) -> dict[str, str]:
        for code, text in translations.items():
            lost = [mark for mark in LOCATE_PLACEHOLDERS if mark not in text]
            if lost:
                raise ValueError(f"{code}: keep the placeholder(s) {' '.join(lost)}")
        return translations

    @field_validator("categories")
    @classmethod
    def _every_category(cls, names: dict[Category, Translations]) -> dict[Category, Translations]:
        missing = [category.value for category in Category if category not in names]
        if missing:
            raise ValueError(f"missing the category(ies) {', '.join(missing)}")
        return names

    def translations(self) -> list[tuple[str, dict[str, str]]]:
        """Every label as ``(field, translations)``, categories as ``categories.<category>``."""
        plain = [(name, value) for name, value in self if name != "categories"]
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
