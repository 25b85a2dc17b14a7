"""The staff's list of sites: search by any name or key, filters, translations to review."""

from dataclasses import dataclass
from enum import StrEnum

from sites_data.schema import Origin, Site
from sites_data.search import SearchIndex
from sites_data.store import StoredSite


class Visibility(StrEnum):
    ALL = "all"
    PUBLIC = "public"
    ARCHIVED = "archived"


@dataclass(frozen=True)
class SiteFilter:
    query: str = ""
    category: str | None = None
    former_province: str | None = None
    visibility: Visibility = Visibility.ALL
    needs_review: bool = False


def machine_texts(site: Site) -> list[str]:
    """The texts still as the machine translated them, e.g. ``description.fr``."""
    return [
        f"{field}.{lang}"
        for field, texts in (("description", site.description), ("narration", site.narration))
        for lang, text in texts.items()
        if text.origin == Origin.MACHINE
    ]


def _passes(stored: StoredSite, wanted: SiteFilter) -> bool:
    site = stored.site
    return (
        (wanted.category is None or site.category == wanted.category)
        and (wanted.former_province is None or site.province.former == wanted.former_province)
        and (
            wanted.visibility == Visibility.ALL
            or stored.archived == (wanted.visibility == Visibility.ARCHIVED)
        )
        and (not wanted.needs_review or bool(machine_texts(site)))
    )


def find_sites(stored: list[StoredSite], wanted: SiteFilter) -> list[StoredSite]:
    """The sites that pass the filters; with a query, the best matches first."""
    candidates = {item.site.key: item for item in stored if _passes(item, wanted)}
    query = wanted.query.strip()
    if not query:
        return sorted(candidates.values(), key=lambda item: item.site.key)
    by_key = [key for key in sorted(candidates) if query.casefold() in key]
    hits = SearchIndex(item.site for item in candidates.values()).search(query, len(candidates))
    ordered = dict.fromkeys([*(hit.key for hit in hits), *by_key])
    return [candidates[key] for key in ordered]
