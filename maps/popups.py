"""What a site's and a tour's popup say, as HTML, in the visitor's language."""

from html import escape

from maps.labels import MapLabels
from maps.tours import Tour
from sites_data.schema import Localized, Origin, Site, in_language


def listen_url(key: str, lang: str) -> str:
    return f"/s/{key}?lang={lang}"


def ask_url(key: str, lang: str) -> str:
    return f"/?ask={key}&lang={lang}"


def directions_url(lat: float, lon: float) -> str:
    """Google Maps' directions to a point, from wherever the visitor is."""
    return f"https://www.google.com/maps/dir/?api=1&destination={lat},{lon}"


def osm_directions_url(lat: float, lon: float) -> str:
    """OpenStreetMap's directions to a point; the visitor fills in where from."""
    return f"https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}#map=15/{lat}/{lon}"


def _lang_attribute(text_lang: str, page_lang: str) -> str:
    """Marks text shown in a fallback language, so screen readers pronounce it right."""
    return "" if text_lang == page_lang else f' lang="{text_lang}"'


def _paragraph(texts: Localized, lang: str, labels: MapLabels) -> str:
    """The text in ``lang`` (or its nearest fallback), marked when it is a machine draft."""
    found = in_language(texts, lang)
    if found is None:
        return ""
    text_lang, text = found
    machine = (
        f' <small class="machine">({escape(labels.machine_translation[lang])})</small>'
        if text.origin == Origin.MACHINE
        else ""
    )
    return f"<p{_lang_attribute(text_lang, lang)}>{escape(text.text)}{machine}</p>"


def site_popup(site: Site, lang: str, labels: MapLabels) -> str:
    lat, lon = site.location.lat, site.location.lon
    links = (
        f'<a href="{escape(listen_url(site.key, lang))}">{escape(labels.listen[lang])}</a>',
        f'<a href="{escape(ask_url(site.key, lang))}">{escape(labels.ask[lang])}</a>',
    )
    directions = (
        f'<a href="{escape(directions_url(lat, lon))}" target="_blank" rel="noopener">'
        "Google Maps</a>",
        f'<a href="{escape(osm_directions_url(lat, lon))}" target="_blank" rel="noopener">'
        "OpenStreetMap</a>",
    )
    return (
        f'<article class="site-popup" data-key="{escape(site.key)}">'
        f"<h3>{escape(site.name(lang))}</h3>"
        f'<p class="site-category">{escape(labels.category(site.category, lang))}</p>'
        f"{_paragraph(site.description, lang, labels)}"
        f'<p class="site-links">{"".join(links)}</p>'
        f'<p class="site-links"><span>{escape(labels.directions[lang])}:</span> '
        f"{''.join(directions)}</p>"
        "</article>"
    )


def tour_popup(tour: Tour, stops: list[Site], lang: str, labels: MapLabels) -> str:
    items = "".join(
        f'<li><a href="?lang={lang}&amp;site={escape(site.key)}" data-site="{escape(site.key)}">'
        f"{escape(site.name(lang))}</a></li>"
        for site in stops
    )
    return (
        f'<article class="tour-popup" data-tour="{escape(tour.key)}">'
        f"<h3>{escape(tour.name(lang))}</h3>"
        f"{_paragraph(tour.description, lang, labels)}"
        f"<h4>{escape(labels.tour_stops[lang])}</h4>"
        f"<ol>{items}</ol>"
        f'<p class="tour-note">{escape(labels.route_note[lang])}</p>'
        "</article>"
    )
