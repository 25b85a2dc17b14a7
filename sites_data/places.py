"""Where visitors come from: city centres and airports, read from ``places.yaml``."""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PLACES_FILE = Path(__file__).with_name("places.yaml")


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    kind: Literal["city_centre", "airport", "railway_station"]
    location: dict[Literal["lat", "lon"], float] | None = Field(
        default=None, description="None where no source gave coordinates: no distance is computed"
    )
    source: dict[Literal["url", "title"], str]
    names: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@cache
def places() -> tuple[Place, ...]:
    entries = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    return tuple(TypeAdapter(list[Place]).validate_python(entries))


def place_keys() -> frozenset[str]:
    return frozenset(place.key for place in places())
