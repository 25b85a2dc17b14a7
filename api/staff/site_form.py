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

from sites_data.files import validation_problems
from sites_data.schema import Site

BLANK_ROWS = 2  # empty rows offered for new opening periods, prices and sources


def _value(form: FormData, name: str) -> str:
    raw = form.get(name)
    return raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""


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


def _localized(old: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """The text with its origin; whether a person changed machine text is settled on save."""
    return {**(old or {"origin": "human"}), "text": text}


def form_document(current: dict[str, Any], form: FormData, lang: str) -> dict[str, Any]:
    """``current`` with the form's values put in: the shared fields and those of ``lang``."""
    document = copy.deepcopy(current)
    for name in ("names", "address"):
        document[name].pop(lang, None)
        if text := _value(form, f"{name}.{lang}"):
            document[name][lang] = text
    document["aliases"].pop(lang, None)
    if f"aliases.{lang}" in form:
        document["aliases"][lang] = _lines(form, f"aliases.{lang}")
    for name in ("description", "narration"):
        old = document[name].pop(lang, None)
        if text := _value(form, f"{name}.{lang}"):
            document[name][lang] = _localized(old, text)
    document["category"] = _value(form, "category")
    document["province"] = {
        part: _value(form, f"province.{part}") for part in ("current", "former", "former_district")
    }
    document["location"] = {part: _value(form, f"location.{part}") for part in ("lat", "lon")}
    document["opening_hours"] = _optional(
        {
            "status": _value(form, "opening_hours.status"),
            "periods": _rows(form, "opening_hours.periods", ("opens", "closes"), ("days",)),
            "note": _value(form, "opening_hours.note"),
        }
    )
    document["tickets"] = _optional(
        {
            "status": _value(form, "tickets.status"),
            "currency": _value(form, "tickets.currency"),
            "as_of": _value(form, "tickets.as_of"),
            "prices": _rows(form, "tickets.prices", ("audience", "amount", "note")),
            "note": _value(form, "tickets.note"),
        }
    )
    ticked = [key for key in form.getlist("related") if isinstance(key, str)]
    # Related sites keep their order; newly ticked ones come last.
    kept = [key for key in document.get("related", []) if key in ticked]
    document["related"] = kept + [key for key in ticked if key not in kept]
    document["sources"] = _rows(form, "sources", ("url", "title"))
    document["verified"] = {part: _value(form, f"verified.{part}") for part in ("date", "method")}
    document["notes"] = _lines(form, "notes")
    return document


def check_document(document: dict[str, Any]) -> tuple[Site | None, dict[str, list[str]]]:
    """The valid site, or the problems keyed by the field they belong to."""
    try:
        return Site.model_validate(document), {}
    except ValidationError as error:
        problems: dict[str, list[str]] = {}
        for problem in validation_problems("", error):
            problems.setdefault(problem.field, []).append(problem.message)
        return None, problems
