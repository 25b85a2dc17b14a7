"""What the public API returns: a site seen in one language."""

from pydantic import BaseModel

from sites_data.languages import fallback_chain
from sites_data.schema import (
    Category,
    LocalizedText,
    Location,
    OpeningHours,
    Province,
    Site,
    Source,
    Tickets,
    Verification,
)


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
    notes: list[str]


class SearchHitPublic(BaseModel):
    key: str
    name: str
    matched: str
    score: float


def in_language(texts: dict[str, LocalizedText], lang: str) -> TextPublic:
    """The text in ``lang`` or, when it has none yet, in the nearest fallback language."""
    code = next(code for code in fallback_chain(lang) if code in texts)
    text = texts[code]
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
    address_lang = next(code for code in fallback_chain(lang) if code in site.address)
    return SitePublic(
        **summary(site, lang).model_dump(),
        lang=lang,
        aliases=site.aliases.get(lang, []),
        address=TextPublic(lang=address_lang, text=site.address[address_lang], origin="human"),
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
        notes=site.notes,
    )
