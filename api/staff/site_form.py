"""The site form: one language at a time plus the fields every language shares.

The form's input names are the document's field paths (``names.fr``,
``tickets.prices.0.amount``), so a validation error names the input it belongs to.
"""

import copy
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from api.staff.form_problems import form_problems
from api.staff.text import StaffMessage
from sites_data.schema import Site

BLANK_ROWS = 2  # empty rows offered for new opening periods, prices and sources


def _value(form: FormData, name: str) -> str:
    raw = form.get(name)
    return raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""


def _decimal(form: FormData, name: str) -> str:
    """A decimal number as typed: Vietnamese writes 13,7869 for 13.7869."""
    return _value(form, name).replace(",", ".")


def _whole_number(value: str) -> str:
    """An amount as typed: 30.000 or 30 000 (thousands set apart) is 30000."""
    return re.sub(r"[., ]", "", value) if re.fullmatch(r"\d{1,3}([., ]\d{3})+", value) else value


def _lines(form: FormData, name: str) -> list[str]:
    return [line.strip() for line in _value(form, name).split("\n") if line.strip()]


def _optional(values: dict[str, Any]) -> dict[str, Any]:
    """The fields a person filled in; empty ones are left out (the schema's defaults)."""
    return {name: value for name, value in values.items() if value not in ("", [])}


def _rows(
    form: FormData, prefix: str, fields: Iterable[str], lists: Iterable[str] = ()
) -> list[Any]:
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.")
    indices = sorted({int(match[1]) for name in form if (match := pattern.match(name))})
    rows = []
    for index in indices:
        row: dict[str, Any] = {name: _value(form, f"{prefix}.{index}.{name}") for name in fields}
        row |= {name: form.getlist(f"{prefix}.{index}.{name}") for name in lists}
        if any(row.values()):
            rows.append(_optional(row))
    return rows


def _put_localized(texts: dict[str, Any], lang: str, text: str) -> None:
    """Set (or, when empty, remove) ``texts[lang]``, keeping its origin.

    Whether a person changed machine text is settled on save.
    """
    old = texts.pop(lang, None)
    if text:
        texts[lang] = {**(old or {"origin": "human"}), "text": text}


def form_document(current: dict[str, Any], form: FormData, lang: str) -> dict[str, Any]:
    """``current`` with the form's values put in: the shared fields and those of ``lang``."""
    document = copy.deepcopy(current)
    document["names"].pop(lang, None)
    if text := _value(form, f"names.{lang}"):
        document["names"][lang] = text
    document["aliases"].pop(lang, None)
    if f"aliases.{lang}" in form:
        document["aliases"][lang] = _lines(form, f"aliases.{lang}")
    for name in ("address", "description", "narration"):
        _put_localized(document[name], lang, _value(form, f"{name}.{lang}"))
    document["category"] = _value(form, "category")
    document["province"] = {
        part: _value(form, f"province.{part}") for part in ("current", "former", "former_district")
    }
    document["location"] = {part: _decimal(form, f"location.{part}") for part in ("lat", "lon")}
    # Reported figures and notes in other languages are kept: the form edits this language.
    hours, tickets = document["opening_hours"], document["tickets"]
    hours_note = dict(hours.get("note") or {})
    _put_localized(hours_note, lang, _value(form, "opening_hours.note"))
    document["opening_hours"] = _optional(
        {
            "status": _value(form, "opening_hours.status"),
            "periods": _rows(form, "opening_hours.periods", ("opens", "closes"), ("days",)),
            "reported": hours.get("reported", []),
            "note": hours_note,
        }
    )
    tickets_note = dict(tickets.get("note") or {})
    _put_localized(tickets_note, lang, _value(form, "tickets.note"))
    old_prices = tickets.get("prices", [])
    prices = _rows(form, "tickets.prices", ("audience", "amount", "note"))
    for index, price in enumerate(prices):
        if "amount" in price:
            price["amount"] = _whole_number(price["amount"])
        old_note = old_prices[index].get("note", {}) if index < len(old_prices) else {}
        price_note = dict(old_note)
        _put_localized(price_note, lang, price.pop("note", ""))
        if price_note:
            price["note"] = price_note
    document["tickets"] = _optional(
        {
            "status": _value(form, "tickets.status"),
            "currency": _value(form, "tickets.currency"),
            "as_of": _value(form, "tickets.as_of"),
            "prices": prices,
            "reported": tickets.get("reported", []),
            "note": tickets_note,
        }
    )
    ticked = [key for key in form.getlist("related") if isinstance(key, str)]
    # Related sites keep their order; newly ticked ones come last.
    kept = [key for key in document.get("related", []) if key in ticked]
    document["related"] = kept + [key for key in ticked if key not in kept]
    document["sources"] = _rows(form, "sources", ("url", "title"))
    document["verified"] = {part: _value(form, f"verified.{part}") for part in ("date", "method")}
    notes = dict(document.get("notes") or {})
    _put_localized(notes, lang, "\n".join(_lines(form, "notes")))
    document["notes"] = notes
    document["editorial_notes"] = _lines(form, "editorial_notes")
    return document


def check_document(
    document: dict[str, Any],
) -> tuple[Site | None, dict[str, list[StaffMessage]]]:
    """The valid site, or the problems keyed by the field they belong to."""
    try:
        return Site.model_validate(document), {}
    except ValidationError as error:
        return None, form_problems(error)
