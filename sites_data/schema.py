"""The shape of one site: what a site file holds and what the store keeps.

The same model validates the curated YAML files, the staff's edits and the
documents stored in the database, so every path in and out checks the same rules.
"""

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from sites_data.geo import distance_m, inside_polygon
from sites_data.languages import LANGUAGE_CODES, checked_language, fallback_chain
from sites_data.places import place_keys
from sites_data.textnorm import strip_marks

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HUMAN_LANGUAGES = ("vi", "en")
NARRATION_WORDS = (150, 400)
# (south, north, west, east) of each former province, with a margin for islands.
FORMER_PROVINCE_BOUNDS = {
    "Bình Định": (13.0, 14.75, 108.5, 109.45),
    "Ninh Thuận": (11.3, 12.2, 108.5, 109.3),
}
DESCRIPTION_MAX_WORDS = 60

# The longest narration (400 words) is about 3,500 characters in any of the languages.
TEXT_MAX_CHARS = 8000
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX_CHARS)
]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
SiteKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=80)]


LanguageCode = Annotated[str, AfterValidator(checked_language)]


def _known_place(key: str) -> str:
    known = place_keys()
    if key not in known:
        raise ValueError(f"unknown place {key!r}; the places are {', '.join(sorted(known))}")
    return key


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class Category(StrEnum):
    CHAM_TOWER = "cham_tower"
    MUSEUM = "museum"
    PAGODA = "pagoda"
    HISTORIC_SITE = "historic_site"
    CRAFT_VILLAGE = "craft_village"
    BEACH = "beach"
    NATURE = "nature"
    LANDSCAPE = "landscape"


class Origin(StrEnum):
    HUMAN = "human"
    MACHINE = "machine"
    REVIEWED = "reviewed"


class LocalizedText(Strict):
    text: Text
    origin: Origin
    model: str | None = Field(default=None, description="The translation model, for machine text")

    @model_validator(mode="after")
    def _model_names_machine_text(self) -> Self:
        if self.origin == Origin.MACHINE and not self.model:
            raise ValueError("machine text must name its translation model in 'model'")
        return self


# Short texts, one per language, each with its origin like the description and narration.
Localized = dict[LanguageCode, LocalizedText]


class Province(Strict):
    current: Text
    former: Literal["Bình Định", "Ninh Thuận"]
    former_district: Text


class Location(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


# How far from its location a visitor is still "at" a site with no area of its own, by
# category: a tower stands in a small park, a beach or a national park spreads far.
DEFAULT_AREA_RADIUS_M: dict[Category, float] = {
    Category.CHAM_TOWER: 150,
    Category.MUSEUM: 100,
    Category.PAGODA: 150,
    Category.HISTORIC_SITE: 300,
    Category.CRAFT_VILLAGE: 600,
    Category.BEACH: 800,
    Category.NATURE: 2000,
    Category.LANDSCAPE: 1200,
}
# An area's farthest edge from the site's location: beyond this it is surely a typing slip.
AREA_MAX_REACH_M = 15_000


class Area(Strict):
    """Where a visitor is "at" the site: a circle round its location, or a polygon."""

    radius_m: float | None = Field(
        default=None, gt=0, le=AREA_MAX_REACH_M, description="Metres round the site's location"
    )
    polygon: list[Location] | None = Field(
        default=None, min_length=3, description="The corners, in order, as lat and lon"
    )

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        if (self.radius_m is None) == (self.polygon is None):
            raise ValueError("give either radius_m or polygon (at least three corners), not both")
        return self


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class OpeningPeriod(Strict):
    days: list[Weekday] = Field(min_length=1)
    opens: Clock
    closes: Clock

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Self:
        if len(set(self.days)) != len(self.days):
            raise ValueError("a day is listed twice in 'days'")
        if self.closes <= self.opens:
            raise ValueError(f"closes ({self.closes}) must be later than opens ({self.opens})")
        return self


class Source(Strict):
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
    title: Text


class Reported(Strict):
    """A figure someone else published and the site has not confirmed: who, and when read."""

    source: Source
    published: date | None = Field(default=None, description="The source's own date, if it has one")
    read: date = Field(description="The day the source was read")
    note: Localized = {}


class ReportedHours(Reported):
    periods: list[OpeningPeriod] = Field(min_length=1)


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Audience = Literal["adult", "child", "student", "senior", "everyone"]


class Price(Strict):
    audience: Audience
    amount: int = Field(ge=0)
    note: Localized = {}


class ReportedPrices(Reported):
    currency: Currency = "VND"
    prices: list[Price] = Field(min_length=1)


class Journey(Reported):
    """A road journey a source describes: from one of the places in ``places.yaml``."""

    place: Annotated[str, AfterValidator(_known_place)]
    km: float | None = Field(default=None, gt=0)
    minutes: int | None = Field(default=None, gt=0)


class TransportNote(Reported):
    """Public transport a source describes: lines, fares, as the source gives them."""

    text: Localized = Field(min_length=1)


class GettingThere(Strict):
    journeys: list[Journey] = []
    public_transport: list[TransportNote] = []


def _check_reported(status: str, reported: list[ReportedHours] | list[ReportedPrices]) -> None:
    if status == "reported" and not reported:
        raise ValueError(
            "status 'reported' needs at least one entry in 'reported', each with its source "
            "(url and title) and the date it was read"
        )
    if status != "reported" and reported:
        raise ValueError(f"status {status!r} takes no 'reported' entries; use 'reported'")


class OpeningHours(Strict):
    status: Literal["regular", "open_access", "reported", "unknown"]
    periods: list[OpeningPeriod] = []
    reported: list[ReportedHours] = []
    note: Localized = {}

    @model_validator(mode="after")
    def _periods_match_status(self) -> Self:
        if self.status == "regular" and not self.periods:
            raise ValueError("status 'regular' needs at least one period")
        if self.status != "regular" and self.periods:
            raise ValueError(f"status {self.status!r} takes no periods; use 'regular'")
        _check_reported(self.status, self.reported)
        if self.status == "unknown" and not self.note:
            raise ValueError("status 'unknown' needs a note saying what is unknown and whom to ask")
        return self


class Tickets(Strict):
    status: Literal["priced", "free", "reported", "unknown"]
    currency: Currency = "VND"
    as_of: date | None = None
    prices: list[Price] = []
    reported: list[ReportedPrices] = []
    note: Localized = {}

    @model_validator(mode="after")
    def _prices_match_status(self) -> Self:
        if self.status == "priced":
            if not self.prices:
                raise ValueError("status 'priced' needs at least one price")
            if self.as_of is None:
                raise ValueError(
                    "status 'priced' needs 'as_of', the date the prices were published"
                )
        elif self.prices:
            raise ValueError(f"status {self.status!r} takes no prices; use 'priced'")
        _check_reported(self.status, self.reported)
        if self.status == "unknown" and not self.note:
            raise ValueError("status 'unknown' needs a note saying what is unknown")
        return self


class Verification(Strict):
    date: date
    method: Text


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def _require_languages(field: str, values: Mapping[str, object], required: tuple[str, ...]) -> None:
    missing = [code for code in required if code not in values]
    if missing:
        raise ValueError(f"{field}: missing language(s) {', '.join(missing)}")


class Site(Strict):
    key: SiteKey
    category: Category
    names: dict[LanguageCode, Text]
    aliases: dict[LanguageCode, list[Text]]
    province: Province
    address: Localized
    location: Location
    opening_hours: OpeningHours
    tickets: Tickets
    description: dict[LanguageCode, LocalizedText]
    narration: dict[LanguageCode, LocalizedText]
    getting_there: GettingThere = GettingThere()
    area: Area | None = Field(
        default=None,
        description="Where a visitor is at the site; without it, a circle of the category's "
        "default radius (DEFAULT_AREA_RADIUS_M) round the location",
    )
    related: list[SiteKey] = []
    sources: list[Source] = Field(min_length=1)
    verified: Verification
    notes: Localized = Field(default={}, description="Caveats for visitors, one per line")
    editorial_notes: list[Text] = Field(
        default=[], description="For staff only: what to check, how the texts were written"
    )

    @model_validator(mode="after")
    def _content_is_complete(self) -> Self:
        _require_languages("names", self.names, LANGUAGE_CODES)
        _require_languages("aliases", self.aliases, LANGUAGE_CODES)
        _require_languages("address", self.address, HUMAN_LANGUAGES)
        _require_languages("description", self.description, HUMAN_LANGUAGES)
        _require_languages("narration", self.narration, HUMAN_LANGUAGES)
        for code in HUMAN_LANGUAGES:
            originals = (self.address, self.description, self.narration)
            for field, texts in zip(
                ("address", "description", "narration"), originals, strict=True
            ):
                if code in texts and texts[code].origin == Origin.MACHINE:
                    raise ValueError(f"{field}.{code}: must be written or reviewed by a person")
            words = word_count(self.narration[code].text)
            low, high = NARRATION_WORDS
            if not low <= words <= high:
                raise ValueError(f"narration.{code}: has {words} words; write {low} to {high}")
            words = word_count(self.description[code].text)
            if words > DESCRIPTION_MAX_WORDS:
                raise ValueError(
                    f"description.{code}: has {words} words; keep it to {DESCRIPTION_MAX_WORDS}"
                )
        plain_name = strip_marks(self.names["vi"])
        if plain_name.casefold() not in {alias.casefold() for alias in self.aliases["vi"]}:
            raise ValueError(f"aliases.vi: add the name without diacritics, {plain_name!r}")
        south, north, west, east = FORMER_PROVINCE_BOUNDS[self.province.former]
        if not (south <= self.location.lat <= north and west <= self.location.lon <= east):
            raise ValueError(
                f"location: ({self.location.lat}, {self.location.lon}) lies outside the former "
                f"{self.province.former} province; check the coordinates and their order (lat, lon)"
            )
        if self.key in self.related:
            raise ValueError("related: a site cannot be related to itself")
        self._area_is_near()
        return self

    def _area_is_near(self) -> None:
        if self.area is None or self.area.polygon is None:
            return
        for number, corner in enumerate(self.area.polygon):
            reach = distance_m(self.location.lat, self.location.lon, corner.lat, corner.lon)
            if reach > AREA_MAX_REACH_M:
                raise ValueError(
                    f"area.polygon.{number}: ({corner.lat}, {corner.lon}) is {reach / 1000:.1f} km "
                    f"from the site's location; corners must lie within "
                    f"{AREA_MAX_REACH_M / 1000:g} km (check the order: lat, lon)"
                )

    def contains(self, lat: float, lon: float) -> bool:
        """Whether a visitor at ``(lat, lon)`` is at this site (see ``area``)."""
        if self.area is not None and self.area.polygon is not None:
            corners = [(corner.lat, corner.lon) for corner in self.area.polygon]
            return inside_polygon(lat, lon, corners)
        radius = DEFAULT_AREA_RADIUS_M[self.category]
        if self.area is not None and self.area.radius_m is not None:
            radius = self.area.radius_m
        return distance_m(lat, lon, self.location.lat, self.location.lon) <= radius

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["vi"]

    def all_aliases(self) -> list[str]:
        return [alias for aliases in self.aliases.values() for alias in aliases]

    def localized_fields(self) -> list[tuple[str, Localized]]:
        """Every text the site has per language, by its field path."""
        fields = [
            ("address", self.address),
            ("description", self.description),
            ("narration", self.narration),
            ("opening_hours.note", self.opening_hours.note),
            ("tickets.note", self.tickets.note),
            ("notes", self.notes),
        ]
        for index, price in enumerate(self.tickets.prices):
            fields.append((f"tickets.prices.{index}.note", price.note))
        for field, entries in (
            ("opening_hours.reported", self.opening_hours.reported),
            ("tickets.reported", self.tickets.reported),
            ("getting_there.journeys", self.getting_there.journeys),
            ("getting_there.public_transport", self.getting_there.public_transport),
        ):
            for index, entry in enumerate(entries):
                fields.append((f"{field}.{index}.note", entry.note))
        for index, transport in enumerate(self.getting_there.public_transport):
            fields.append((f"getting_there.public_transport.{index}.text", transport.text))
        return [(field, texts) for field, texts in fields if texts]

    def text(self, field: str, lang: str) -> tuple[str, LocalizedText] | None:
        """``(language, text)`` of a field in ``lang`` or its nearest fallback, or None."""
        texts = dict(self.localized_fields()).get(field, {})
        return in_language(texts, lang)


def in_language(texts: Localized, lang: str) -> tuple[str, LocalizedText] | None:
    """``(language, text)`` in ``lang`` or, when it has none yet, the nearest fallback."""
    code = next((code for code in fallback_chain(lang) if code in texts), None)
    return None if code is None else (code, texts[code])
