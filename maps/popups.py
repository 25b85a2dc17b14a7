"""What a site's and a tour's popup say, as HTML, in the visitor's language."""

from html import escape

from maps.labels import MapLabels
from maps.tours import Tour
from sites_data.languages import fallback_chain
from sites_data.schema import Site


def listen_url(key: str, lang: str) -> str:
    return f"/s/{key}?lang={lang}"


def ask_url(key: str, lang: str) -> str:
    return f"/?ask={key}&lang={lang}"


def directions_url(lat: float, lon: float) -> str:
    return f"https://www.google.com/maps/dir/?api=1&destination={lat},{lon}"


def description(site: Site, lang: str) -> tuple[str, str]:
    """``(language, text)`` of the short description in ``lang`` or its nearest fallback."""
    code = next(code for code in fallback_chain(lang) if code in site.description)
    return code, site.description[code].text


def _lang_attribute(text_lang: str, page_lang: str) -> str:
    """Marks text shown in a fallback language, so screen readers pronounce it right."""
    return "" if text_lang == page_lang else f' lang="{text_lang}"'


def site_popup(site: Site, lang: str, labels: MapLabels) -> str:
    text_lang, text = description(site, lang)
    links = (
        f'<a href="{escape(listen_url(site.key, lang))}">{escape(labels.listen[lang])}</a>',
        f'<a href="{escape(ask_url(site.key, lang))}">{escape(labels.ask[lang])}</a>',
        f'<a href="{escape(directions_url(site.location.lat, site.location.lon))}" '
        f'target="_blank" rel="noopener">{escape(labels.directions[lang])}</a>',
    )
    return (
        f'<article class="site-popup" data-key="{escape(site.key)}">'
        f"<h3>{escape(site.name(lang))}</h3>"
        f'<p class="site-category">{escape(labels.category(site.category, lang))}</p>'
        f"<p{_lang_attribute(text_lang, lang)}>{escape(text)}</p>"
        f'<p class="site-links">{"".join(links)}</p>'
        "</article>"
    )


def tour_popup(tour: Tour, stops: list[Site], lang: str, labels: MapLabels) -> str:
    text_lang, text = tour.describe(lang)
    items = "".join(
        f'<li><a href="?lang={lang}&amp;site={escape(site.key)}" data-site="{escape(site.key)}">'
        f"{escape(site.name(lang))}</a></li>"
        for site in stops
    )
    return (
        f'<article class="tour-popup" data-tour="{escape(tour.key)}">'
        f"<h3>{escape(tour.name(lang))}</h3>"
        f"<p{_lang_attribute(text_lang, lang)}>{escape(text)}</p>"
        f"<h4>{escape(labels.tour_stops[lang])}</h4>"
        f"<ol>{items}</ol>"
        f'<p class="tour-note">{escape(labels.route_note[lang])}</p>'
        "</article>"
    )
