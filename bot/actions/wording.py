"""Knowledge-base values written the way each language writes them, from vocabulary.yml."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sites_data import schema
from sites_data.languages import LANGUAGE_BY_CODE
from sites_data.schema import Localized, OpeningPeriod, Price

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yml")
DAY_ORDER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@cache
def vocabulary() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(VOCABULARY_FILE.read_text("utf-8"))
    return loaded


@dataclass(frozen=True)
class InLanguage:
    """A text of the knowledge base and the language it is actually in."""

    text: str
    lang: str


def in_language(texts: Localized, lang: str) -> InLanguage:
    """The text in ``lang``, or in the nearest language the knowledge base has it in."""
    found = schema.in_language(texts, lang)
    if found is None:
        raise ValueError("a text the assistant answers with has no language at all")
    code, text = found
    return InLanguage(text.text, code)


def language_name(code: str, lang: str) -> str:
    return LANGUAGE_BY_CODE[code].name_in(lang)


def published(day: date | None, lang: str) -> str:
    """ ", the source is dated …" for a reported figure whose source gives its own date."""
    template: str = vocabulary()["published"][lang]
    return "" if day is None else template.format(date=day.isoformat())


def parenthesised(text: str, lang: str) -> str:
    """' (text)', or the text in full-width parentheses in Chinese and Japanese."""
    return f"\uff08{text}\uff09" if lang in ("zh", "ja") else f" ({text})"


def festival_dates(days: str, source: str, lang: str) -> str:
    template: str = vocabulary()["festival_dates"][lang]
    return template.format(days=days, source=source)


def festival_no_dates(lang: str) -> str:
    text: str = vocabulary()["festival_no_dates"][lang]
    return text


def listing(items: Iterable[str], lang: str) -> str:
    separator: str = vocabulary()["numbers"][lang]["list"]
    return separator.join(items)


def amount(value: int, currency: str, lang: str) -> str:
    thousands: str = vocabulary()["numbers"][lang]["thousands"]
    return f"{value:,} {currency}".replace(",", thousands)


def kilometres(value: float, lang: str) -> str:
    """'42 km', '5,4 km': one decimal, none when it is zero."""
    decimal: str = vocabulary()["numbers"][lang]["decimal"]
    written = f"{value:.1f}".removesuffix(".0")
    return f"{written} km".replace(".", decimal)


def periods(opening: Iterable[OpeningPeriod], lang: str) -> str:
    names = dict(zip(DAY_ORDER, vocabulary()["days"][lang], strict=True))
    return listing(
        (
            f"{', '.join(names[day] for day in period.days)} {period.opens}–{period.closes}"
            for period in opening
        ),
        lang,
    )


def prices(tariff: Iterable[Price], currency: str, lang: str) -> str:
    audiences = vocabulary()["audiences"]
    return listing(
        (
            f"{audiences[price.audience][lang]}: {amount(price.amount, currency, lang)}"
            + (f" ({in_language(price.note, lang).text})" if price.note else "")
            for price in tariff
        ),
        lang,
    )


def interest_name(category: str, lang: str) -> str:
    shown: dict[str, str] = vocabulary()["interests"][category]["shown"]
    return shown[lang]


def interests() -> list[str]:
    return list(vocabulary()["interests"])
