"""Around the sites: the festivals held at them, and the places outside the area that
visitors confuse with it (Po Nagar in Nha Trang, Mỹ Sơn…), read from ``festivals.yaml`` and
``outside.yaml``. The same rules as the site files: every fact with its source, every
visitor text per language with its origin.
"""

from datetime import date
from functools import cache
from pathlib import Path
from typing import Self, TypeVar

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from sites_data.files import Problem, SiteFilesError, display_path, read_yaml, validation_problems
from sites_data.schema import (
    HUMAN_LANGUAGES,
    LanguageCode,
    Localized,
    Location,
    SiteKey,
    Source,
    Strict,
    Text,
)

FESTIVALS_FILE = Path(__file__).with_name("festivals.yaml")
OUTSIDE_FILE = Path(__file__).with_name("outside.yaml")


def _has_human_languages(field: str, texts: Localized) -> None:
    missing = [code for code in HUMAN_LANGUAGES if code not in texts]
    if missing:
        raise ValueError(f"{field}: missing language(s) {', '.join(missing)}")


class FestivalDate(Strict):
    """The days one year's festival was or will be held, as a source published them."""

    year: int = Field(ge=1900, le=2100)
    start: date
    end: date
    source: Source
    note: Localized = Field(default_factory=dict)

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.start.year != self.year:
            raise ValueError(f"start ({self.start}) is not in {self.year}")
        return self


class Festival(Strict):
    key: SiteKey
    names: dict[LanguageCode, Text]
    sites: list[SiteKey] = Field(description="Where it is held; may be empty")
    rule: Localized = Field(description="When it falls, as a rule (calendar, month, day)")
    dates: list[FestivalDate] = Field(default=[], description="Only dates a source published")
    description: Localized
    sources: list[Source] = Field(min_length=1)
    note: Localized = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _has_human_languages("rule", self.rule)
        _has_human_languages("description", self.description)
        return self

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


class Province(Strict):
    current: Text = Field(description="The province since the 2025 merger")
    former: Text
    source: Source


class OutsidePlace(Strict):
    """A place tourists confuse with the area: where it is, and that the guide does not cover it."""

    key: SiteKey
    names: dict[LanguageCode, Text]
    aliases: dict[LanguageCode, list[Text]] = Field(default_factory=dict)
    location: Location | None = None
    location_note: Text | None = None
    city: Localized
    province: Province
    summary: Localized
    source: Source
    more_sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _has_human_languages("city", self.city)
        _has_human_languages("summary", self.summary)
        if self.location is None and not self.location_note:
            raise ValueError("location: give coordinates from a source, or a location_note why not")
        return self

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


Entry = TypeVar("Entry", Festival, OutsidePlace)


def _read(path: Path, adapter: TypeAdapter[list[Entry]]) -> list[Entry]:
    document, problems = read_yaml(path)
    if problems:
        raise SiteFilesError(problems)
    try:
        entries = adapter.validate_python(document)
    except ValidationError as error:
        raise SiteFilesError(validation_problems(display_path(path), error)) from None
    keys = [entry.key for entry in entries]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise SiteFilesError(
            [Problem(display_path(path), "key", f"{k} is used twice") for k in twice]
        )
    return entries


def read_festivals(path: Path = FESTIVALS_FILE) -> list[Festival]:
    return _read(path, TypeAdapter(list[Festival]))


def read_outside_places(path: Path = OUTSIDE_FILE) -> list[OutsidePlace]:
    return _read(path, TypeAdapter(list[OutsidePlace]))


@cache
def festivals() -> tuple[Festival, ...]:
    return tuple(read_festivals())


@cache
def outside_places() -> tuple[OutsidePlace, ...]:
    return tuple(read_outside_places())


def festivals_at(site_key: str) -> list[Festival]:
    return [festival for festival in festivals() if site_key in festival.sites]


def unknown_sites(known_keys: set[str]) -> list[Problem]:
    """Festivals held at a site key the knowledge base does not have."""
    return [
        Problem(display_path(FESTIVALS_FILE), f"{festival.key}.sites", f"{key!r} is not a site key")
        for festival in festivals()
        for key in festival.sites
        if key not in known_keys
    ]
