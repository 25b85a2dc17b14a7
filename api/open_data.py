"""The open data: every public site as GeoJSON and as CSV, under an open licence.

Both carry the same facts: the site's key and page, its names and short descriptions in
every language (a machine draft stays labelled as one), category, provinces, coordinates,
opening hours and tickets with their status (a reported figure always with its source and
the day it was read, never as a confirmed one), its sources, and when it last changed.
The GeoJSON nests them as the site files do; the CSV has one column per value, described
with the licence in a Frictionless Data Package (``data_package``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from api.models import in_utc
from api.qr import qr_url
from sites_data.languages import LANGUAGES
from sites_data.schema import Category, OpeningPeriod, Price, Reported, Site, Weekday
from sites_data.store import SiteStore, StoredSite

# No licence had been chosen for the content: CC BY 4.0 until the tourism offices decide.
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = (
    "Heritage Guide, for the tourism offices of the former Bình Định and Ninh Thuận "
    "provinces (now Gia Lai and Khánh Hòa), and the sources cited for each site"
)
DAY_ORDER: tuple[str, ...] = get_args(Weekday)
OSM_DAYS = dict(zip(DAY_ORDER, ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"), strict=True))


@dataclass(frozen=True)
class Snapshot:
    """The public sites, and the time of the latest change to any site (archiving included)."""

    sites: list[StoredSite]
    updated: datetime | None

    @classmethod
    def read(cls, store: SiteStore) -> "Snapshot":
        every = store.sites(include_archived=True)
        latest = max((in_utc(stored.updated_at) for stored in every), default=None)
        return cls([stored for stored in every if not stored.archived], latest)


def timestamp(moment: datetime) -> str:
    """``2026-12-01T08:30:00Z``"""
    return in_utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def licence() -> dict[str, str]:
    """The GeoJSON's ``licence`` member."""
    return {
        "name": LICENCE["name"],
        "title": LICENCE["title"],
        "url": LICENCE["path"],
        "attribution": ATTRIBUTION,
    }


# --- GeoJSON (RFC 7946) ---


def feature_collection(snapshot: Snapshot, base_url: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "licence": licence(),
        "updated": timestamp(snapshot.updated) if snapshot.updated else None,
        "features": [_feature(stored, base_url) for stored in snapshot.sites],
    }


def _feature(stored: StoredSite, base_url: str) -> dict[str, Any]:
    site = stored.site
    return {
        "type": "Feature",
        "id": site.key,
        "geometry": {"type": "Point", "coordinates": [site.location.lon, site.location.lat]},
        "properties": {
            "key": site.key,
            "url": qr_url(base_url, site.key),
            "category": site.category,
            "names": dict(site.names),
            "description": {
                code: text.model_dump(mode="json", exclude_none=True)
                for code, text in site.description.items()
            },
            "province": site.province.model_dump(mode="json"),
            "opening_hours": site.opening_hours.model_dump(mode="json", exclude_none=True),
            "tickets": site.tickets.model_dump(mode="json", exclude_none=True),
            "sources": [source.model_dump(mode="json") for source in site.sources],
            "verified": site.verified.date.isoformat(),
            "updated": timestamp(stored.updated_at),
        },
    }


# --- CSV, with its Table Schema ---


def osm_hours(periods: list[OpeningPeriod]) -> str:
    """Periods in OpenStreetMap's ``opening_hours`` syntax: ``Mo-Fr 07:00-11:00,13:30-17:00``."""
    times: dict[str, list[str]] = {}
    for period in periods:
        times.setdefault(_osm_days(period.days), []).append(f"{period.opens}-{period.closes}")
    return ", ".join(f"{days} {','.join(spans)}" for days, spans in times.items())


def _osm_days(days: Sequence[str]) -> str:
    runs: list[list[int]] = []
    for index in sorted(DAY_ORDER.index(day) for day in days):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    names = [OSM_DAYS[day] for day in DAY_ORDER]
    return ",".join(
        f"{names[run[0]]}-{names[run[-1]]}"
        if len(run) > 2
        else ",".join(names[index] for index in run)
        for run in runs
    )


def _prices(prices: list[Price]) -> str:
    return "; ".join(f"{price.audience} {price.amount}" for price in prices)


def _as_reported(figures: str, version: Reported) -> str:
    published = f", published {version.published.isoformat()}" if version.published else ""
    source = f"{version.source.title}, {version.source.url}"
    return f"{figures} ({source}{published}, read {version.read.isoformat()})"


def _reported_hours(site: Site) -> str:
    return " | ".join(
        _as_reported(osm_hours(version.periods), version) for version in site.opening_hours.reported
    )


def _reported_tickets(site: Site) -> str:
    return " | ".join(
        _as_reported(f"{_prices(version.prices)} {version.currency}", version)
        for version in site.tickets.reported
    )


def _machine_drafts(site: Site) -> str:
    return " ".join(code for code, text in site.description.items() if text.origin == "machine")


Cell = str | float


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type
    description: str
    value: Callable[[StoredSite, str], Cell]  # (site, base URL) → the cell
    constraints: dict[str, Any] | None = None


def _from_site(value: Callable[[Site], Cell]) -> Callable[[StoredSite, str], Cell]:
    return lambda stored, _base: value(stored.site)


def _name(code: str) -> Callable[[StoredSite, str], Cell]:
    return _from_site(lambda site: site.names[code])


def _description(code: str) -> Callable[[StoredSite, str], Cell]:
    return _from_site(lambda site: text.text if (text := site.description.get(code)) else "")


def _columns() -> list[Column]:
    status = "regular, open_access, reported or unknown"
    return [
        Column(
            "key", "string", "The site's key", _from_site(lambda site: site.key), {"unique": True}
        ),
        Column(
            "url", "string", "The site's page", lambda stored, base: qr_url(base, stored.site.key)
        ),
        Column(
            "category",
            "string",
            "What the site is",
            _from_site(lambda site: site.category),
            {"enum": [category.value for category in Category]},
        ),
        Column(
            "province",
            "string",
            "Its province since the 2025 merger",
            _from_site(lambda site: site.province.current),
        ),
        Column(
            "former_province",
            "string",
            "Its province before 2025",
            _from_site(lambda site: site.province.former),
        ),
        Column(
            "former_district",
            "string",
            "Its district before 2025",
            _from_site(lambda site: site.province.former_district),
        ),
        Column("lat", "number", "Latitude (WGS 84)", _from_site(lambda site: site.location.lat)),
        Column("lon", "number", "Longitude (WGS 84)", _from_site(lambda site: site.location.lon)),
        *(
            Column(
                f"name_{lang.code}", "string", f"The name in {lang.english_name}", _name(lang.code)
            )
            for lang in LANGUAGES
        ),
        *(
            Column(
                f"description_{lang.code}",
                "string",
                f"The short description in {lang.english_name}; empty when not written yet",
                _description(lang.code),
            )
            for lang in LANGUAGES
        ),
        Column(
            "description_machine_drafts",
            "string",
            "The languages (codes, space-separated) whose description is a machine translation "
            "that no person has reviewed yet",
            _from_site(_machine_drafts),
        ),
        Column(
            "hours_status",
            "string",
            f"Opening hours: {status} (reported: published by others, not confirmed by the site)",
            _from_site(lambda site: site.opening_hours.status),
            {"enum": ["regular", "open_access", "reported", "unknown"]},
        ),
        Column(
            "hours",
            "string",
            "The confirmed opening hours (hours_status regular), in OpenStreetMap's "
            "opening_hours syntax",
            _from_site(lambda site: osm_hours(site.opening_hours.periods)),
        ),
        Column(
            "hours_reported",
            "string",
            "Hours others publish (hours_status reported), not confirmed by the site: each "
            "version as 'hours (source title, URL, published date if any, read date)', "
            "versions separated by ' | '",
            _from_site(_reported_hours),
        ),
        Column(
            "tickets_status",
            "string",
            "Tickets: priced or free (confirmed), reported (published by others, not "
            "confirmed by the site) or unknown",
            _from_site(lambda site: site.tickets.status),
            {"enum": ["priced", "free", "reported", "unknown"]},
        ),
        Column(
            "tickets",
            "string",
            "The confirmed prices (tickets_status priced): 'audience amount' separated by "
            "'; ', in tickets_currency",
            _from_site(lambda site: _prices(site.tickets.prices)),
        ),
        Column(
            "tickets_currency",
            "string",
            "The currency of the confirmed prices",
            _from_site(lambda site: site.tickets.currency if site.tickets.prices else ""),
        ),
        Column(
            "tickets_as_of",
            "date",
            "The day the confirmed prices were published",
            _from_site(lambda site: site.tickets.as_of.isoformat() if site.tickets.as_of else ""),
        ),
        Column(
            "tickets_reported",
            "string",
            "Prices others publish (tickets_status reported), not confirmed by the site: "
            "each version as 'audience amount; … currency (source title, URL, published "
            "date if any, read date)', versions separated by ' | '",
            _from_site(_reported_tickets),
        ),
        Column(
            "sources",
            "string",
            "The URLs of the site's sources, space-separated",
            _from_site(lambda site: " ".join(source.url for source in site.sources)),
        ),
        Column(
            "verified",
            "date",
            "The day the site's facts were last verified",
            _from_site(lambda site: site.verified.date.isoformat()),
        ),
        Column(
            "updated",
            "datetime",
            "When the site's entry last changed (UTC)",
            lambda stored, _base: timestamp(stored.updated_at),
        ),
    ]


COLUMNS = _columns()


def csv_rows(snapshot: Snapshot, base_url: str) -> list[list[Cell]]:
    """The header, then one row per public site."""
    header: list[Cell] = [column.name for column in COLUMNS]
    return [header] + [
        [column.value(stored, base_url) for column in COLUMNS] for stored in snapshot.sites
    ]


def table_schema() -> dict[str, Any]:
    fields = []
    for column in COLUMNS:
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
        }
        if column.constraints:
            field["constraints"] = column.constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": ["key"]}


def data_package(snapshot: Snapshot, base_url: str, csv_path: str) -> dict[str, Any]:
    """The Frictionless Data Package that describes the CSV: its columns and its licence."""
    package: dict[str, Any] = {
        "name": "heritage-guide-sites",
        "title": "Heritage sites of the former Bình Định and Ninh Thuận provinces",
        "description": f"Every public site of the Heritage Guide. Attribution: {ATTRIBUTION}. "
        "The same data as GeoJSON: /api/open/sites.geojson.",
        "homepage": base_url,
        "licenses": [LICENCE],
        "resources": [
            {
                "name": "sites",
                "path": csv_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(),
            }
        ],
    }
    if snapshot.updated:
        package["created"] = timestamp(snapshot.updated)
    return package
