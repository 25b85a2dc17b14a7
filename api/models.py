"""What the public API returns: a site seen in one language; times in UTC."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel

from sites_data.schema import (
    Category,
    Localized,
    Location,
    OpeningHours,
    Province,
    Site,
    Source,
    Tickets,
    Verification,
)
from sites_data.schema import in_language as localized_in


def in_utc(moment: datetime) -> datetime:
    """SQLite gives back the UTC times it stored without their zone; PostgreSQL with one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(in_utc)]
"""Every time an answer carries, with its zone (``2026-05-01T08:30:00Z``)."""


class TextPublic(BaseModel):
    lang: str
    text: str
    origin: str


class SiteLink(BaseModel):
    key: str
    name: str


class SiteSummary(BaseModel):
    key: str
    name: str
    category: Category
    province: Province
    location: Location
    description: TextPublic
    distance_km: float | None = None


class SitePublic(SiteSummary):
    lang: str
    aliases: list[str]
    address: TextPublic
    opening_hours: OpeningHours
    tickets: Tickets
    narration: TextPublic
    related: list[SiteLink]
    sources: list[Source]
    verified: Verification
    notes: TextPublic | None


class SearchHitPublic(BaseModel):
    key: str
    name: str
    matched: str
    score: float


def in_language(texts: Localized, lang: str) -> TextPublic:
    """The text in ``lang`` or, when it has none yet, in the nearest fallback language."""
    found = optional_in_language(texts, lang)
    if found is None:
        raise ValueError("a required text has no language at all")
    return found


def optional_in_language(texts: Localized, lang: str) -> TextPublic | None:
    found = localized_in(texts, lang)
    if found is None:
        return None
    code, text = found
    return TextPublic(lang=code, text=text.text, origin=text.origin)


def summary(site: Site, lang: str, distance_km: float | None = None) -> SiteSummary:
    return SiteSummary(
        key=site.key,
        name=site.name(lang),
        category=site.category,
        province=site.province,
        location=site.location,
        description=in_language(site.description, lang),
        distance_km=None if distance_km is None else round(distance_km, 2),
    )


def public(site: Site, lang: str, related_names: dict[str, str]) -> SitePublic:
    return SitePublic(
        **summary(site, lang).model_dump(),
        lang=lang,
        aliases=site.aliases.get(lang, []),
        address=in_language(site.address, lang),
        opening_hours=site.opening_hours,
        tickets=site.tickets,
        narration=in_language(site.narration, lang),
        related=[
            SiteLink(key=key, name=related_names[key])
            for key in site.related
            if key in related_names
        ],
        sources=site.sources,
        verified=site.verified,
        notes=optional_in_language(site.notes, lang),
    )
