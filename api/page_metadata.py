"""What a site's page tells search engines and chat apps: schema.org JSON-LD and Open Graph.

The JSON-LD says only what the page says: opening hours only when the site confirmed
regular ones, ``isAccessibleForFree`` only for confirmed tickets (free, or priced).
"""

from typing import Any

from api.models import in_language
from sites_data.languages import LANGUAGE_BY_CODE, LANGUAGES
from sites_data.schema import Site

SCHEMA_DAYS = {
    "mon": "https://schema.org/Monday",
    "tue": "https://schema.org/Tuesday",
    "wed": "https://schema.org/Wednesday",
    "thu": "https://schema.org/Thursday",
    "fri": "https://schema.org/Friday",
    "sat": "https://schema.org/Saturday",
    "sun": "https://schema.org/Sunday",
}
CONFIRMED_TICKETS = {"free": True, "priced": False}


def tourist_attraction(site: Site, lang: str, site_url: str, page_url: str) -> dict[str, Any]:
    """The site as a schema.org ``TouristAttraction``, described by this page in ``lang``."""
    description = in_language(site.description, lang)
    address = in_language(site.address, lang)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "TouristAttraction",
        "@id": site_url,
        "name": site.name(lang),
        "alternateName": site.names["vi"],
        "description": description.text,
        "url": page_url,
        # A place has no language; the page that describes it does.
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url, "inLanguage": lang},
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": site.location.lat,
            "longitude": site.location.lon,
        },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address.text,
            "addressRegion": site.province.current,
            "addressCountry": "VN",
        },
    }
    if site.opening_hours.status == "regular":
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [SCHEMA_DAYS[day] for day in period.days],
                "opens": period.opens,
                "closes": period.closes,
            }
            for period in site.opening_hours.periods
        ]
    if site.tickets.status in CONFIRMED_TICKETS:
        data["isAccessibleForFree"] = CONFIRMED_TICKETS[site.tickets.status]
    return data


def open_graph(site: Site, lang: str, page_url: str, site_name: str) -> list[tuple[str, str]]:
    """``(property, content)`` of the page's Open Graph tags (the preview chat apps show)."""
    return [
        ("og:type", "website"),
        ("og:site_name", site_name),
        ("og:title", site.name(lang)),
        ("og:description", in_language(site.description, lang).text),
        ("og:url", page_url),
        ("og:locale", LANGUAGE_BY_CODE[lang].locale),
        *(("og:locale:alternate", other.locale) for other in LANGUAGES if other.code != lang),
    ]
