"""A site field's path (``tickets.prices.0.amount``) in words, as the form labels it.

Revisions, stale-save conflicts and form problems name fields this way, so a staff member
reads "Vé · giá 1 · Số tiền" where the document says ``tickets.prices.0.amount``.
"""

import re

from api.staff.text import AdminText
from sites_data.languages import LANGUAGE_CODES, LANGUAGES

LANGUAGE_NAMES = {language.code: language.native_name for language in LANGUAGES}
# Parts of a path that say how a text is kept, not what it is.
TEXT_PARTS = {"text": None, "origin": "label_origin", "model": "label_model"}

# The field's general path (numbers as ``#``, languages left out) → its label's key.
LABELS = {
    "key": "label_key",
    "names": "field_name",
    "aliases": "label_aliases",
    "address": "field_address",
    "description": "field_description",
    "narration": "field_narration",
    "category": "category",
    "province": "label_province",
    "province.current": "province_current",
    "province.former": "former_province",
    "province.former_district": "former_district",
    "location": "label_location",
    "location.lat": "latitude",
    "location.lon": "longitude",
    "opening_hours": "opening_hours",
    "opening_hours.status": "label_hours_status",
    "opening_hours.periods": "label_periods",
    "opening_hours.periods.#": "label_period",
    "opening_hours.periods.#.days": "label_period_days",
    "opening_hours.periods.#.opens": "label_period_opens",
    "opening_hours.periods.#.closes": "label_period_closes",
    "opening_hours.note": "label_hours_note",
    "opening_hours.reported": "label_hours_reported",
    "tickets": "tickets",
    "tickets.status": "label_tickets_status",
    "tickets.currency": "label_tickets_currency",
    "tickets.as_of": "label_tickets_as_of",
    "tickets.prices": "label_prices",
    "tickets.prices.#": "label_price",
    "tickets.prices.#.audience": "label_price_audience",
    "tickets.prices.#.amount": "label_price_amount",
    "tickets.prices.#.note": "label_price_note",
    "tickets.note": "label_tickets_note",
    "tickets.reported": "label_tickets_reported",
    "sources": "label_sources",
    "sources.#": "label_source",
    "sources.#.url": "label_source_url",
    "sources.#.title": "label_source_title",
    "verified": "label_verified",
    "verified.date": "verified_date",
    "verified.method": "verified_method",
    "notes": "label_notes",
    "editorial_notes": "label_editorial_notes",
    "related": "related_sites",
    "getting_there": "label_getting_there",
    "photos": "label_photos",
}


def field_label(path: str, t: AdminText) -> str:
    """The label of the field at ``path``, with its language and row number if it has them."""
    general: list[str] = []
    numbers: list[int] = []
    language = ""
    detail = ""
    for part in path.split("."):
        if part in LANGUAGE_CODES and not language:
            language = part
        elif part.isdigit():
            numbers.append(int(part) + 1)
            general.append("#")
        elif language and part in TEXT_PARTS:
            detail = TEXT_PARTS[part] or ""
        else:
            general.append(part)
    while general and ".".join(general) not in LABELS:
        general.pop()
        # A number whose row has no label of its own is dropped with it.
        if general and general[-1] == "#":
            general.pop()
            numbers.pop()
    if not general:
        return path
    label = t(LABELS[".".join(general)], number=numbers[0] if numbers else "")
    if language:
        label += f" ({LANGUAGE_NAMES[language]})"
    if detail:
        label += f" · {t(detail)}"
    return re.sub(r"\s+", " ", label).strip()
