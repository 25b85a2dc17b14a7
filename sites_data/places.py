"""Where visitors come from: city centres, airports and a station, read from ``places.yaml``;
the provinces and their 2025 merger, from ``provinces.yaml``."""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PLACES_FILE = Path(__file__).with_name("places.yaml")
PROVINCES_FILE = Path(__file__).with_name("provinces.yaml")


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    kind: Literal["city_centre", "airport", "railway_station"]
    location: dict[Literal["lat", "lon"], float] | None = Field(
        default=None, description="None where no source gave coordinates: no distance is computed"
    )
    source: dict[Literal["url", "title"], str]
    names: dict[str, str]
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="Other ways visitors write it, per language"
    )
    province: str = Field(description="The province it is in since the 2025 merger")
    former_province: str | None = Field(default=None, description="The province before it")

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def all_aliases(self) -> list[str]:
        return [alias for aliases in self.aliases.values() for alias in aliases]


@cache
def places() -> tuple[Place, ...]:
    entries = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    return tuple(TypeAdapter(list[Place]).validate_python(entries))


def place_keys() -> frozenset[str]:
    return frozenset(place.key for place in places())


class Provinces(BaseModel):
    """The provinces as each language writes them, and which former province became which."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: dict[Literal["url", "title"], str]
    merged_into: dict[str, str]
    names: dict[str, dict[str, str]]
    typed: dict[str, list[str]]

    def name(self, province: str, lang: str) -> str:
        """``province`` (as Vietnamese writes it) in ``lang``; unknown ones as they are."""
        return self.names.get(province, {}).get(lang, province)


@cache
def provinces() -> Provinces:
    return Provinces.model_validate(yaml.safe_load(PROVINCES_FILE.read_text(encoding="utf-8")))
