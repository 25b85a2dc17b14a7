"""The rules every site obeys, checked on the model directly."""

from typing import Any

import pytest
from pydantic import ValidationError

from sites_data.files import validation_problems
from sites_data.schema import Site
from tests.factories import make_site, site_document


def _problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Site.model_validate(document)
    return [(p.field, p.message) for p in validation_problems("f.yaml", caught.value)]


def test_the_factory_site_is_valid() -> None:
    site = make_site()
    assert site.key == "test-tower"
    assert site.name("fr") == "Tour d'essai"


def _without(document: dict[str, Any], section: str, code: str) -> dict[str, Any]:
    document[section] = {k: v for k, v in document[section].items() if k != code}
    return document


BROKEN = [
    (
        "reported hours without a source",
        site_document(
            opening_hours={
                "status": "reported",
                "reported": [
                    {
                        "periods": [{"days": ["mon"], "opens": "07:00", "closes": "17:00"}],
                        "read": "2026-12-01",
                    }
                ],
            }
        ),
        "opening_hours.reported.0.source",
        "is required but missing",
    ),
    (
        "a reported price without the day it was read",
        site_document(
            tickets={
                "status": "reported",
                "reported": [
                    {
                        "prices": [{"audience": "adult", "amount": 20000}],
                        "source": {"url": "https://example.org/a", "title": "A"},
                    }
                ],
            }
        ),
        "tickets.reported.0.read",
        "is required but missing",
    ),
    (
        "a reported price with a source that is not a web address",
        site_document(
            tickets={
                "status": "reported",
                "reported": [
                    {
                        "prices": [{"audience": "adult", "amount": 20000}],
                        "source": {"url": "a friend", "title": "A"},
                        "read": "2026-12-01",
                    }
                ],
            }
        ),
        "tickets.reported.0.source.url",
        "",
    ),
    (
        "status reported with nothing reported",
        site_document(tickets={"status": "reported"}),
        "tickets",
        "needs at least one entry in 'reported'",
    ),
    (
        "a journey from a place the guide does not know",
        site_document(
            getting_there={
                "journeys": [
                    {
                        "place": "hanoi",
                        "km": 1000,
                        "source": {"url": "https://example.org/a", "title": "A"},
                        "read": "2026-12-01",
                    }
                ]
            }
        ),
        "getting_there.journeys.0.place",
        "unknown place 'hanoi'",
    ),
    ("key with spaces", site_document(key="Thap Doi"), "key", "should match pattern"),
    ("unknown category", site_document(category="castle"), "category", "Input should be"),
    (
        "missing name in ko",
        _without(site_document(), "names", "ko"),
        "names",
        "missing language(s) ko",
    ),
    (
        "unknown language",
        site_document(names={**site_document()["names"], "xx": "X"}),
        "names.xx.[key]",
        "unknown language 'xx'",
    ),
    (
        "no plain vi alias",
        site_document(aliases={**site_document()["aliases"], "vi": ["Khác"]}),
        "aliases.vi",
        "without diacritics, 'Thap Thu Nghiem'",
    ),
    (
        "latitude out of range",
        site_document(location={"lat": 113.7, "lon": 109.2}),
        "location.lat",
        "less than or equal to 90",
    ),
    (
        "swapped coordinates",
        site_document(location={"lat": 109.2, "lon": 13.7}),
        "location.lat",
        "less than or equal to 90",
    ),
    (
        "outside the province",
        site_document(location={"lat": 11.56, "lon": 108.99}),
        "location",
        "outside the former Bình Định province",
    ),
    (
        "bad clock",
        site_document(
            opening_hours={
                "status": "regular",
                "periods": [{"days": ["mon"], "opens": "7h", "closes": "17:00"}],
            }
        ),
        "opening_hours.periods.0.opens",
        "should match pattern",
    ),
    (
        "closing before opening",
        site_document(
            opening_hours={
                "status": "regular",
                "periods": [{"days": ["mon"], "opens": "17:00", "closes": "07:00"}],
            }
        ),
        "opening_hours.periods.0",
        "must be later than opens",
    ),
    (
        "unknown hours without note",
        site_document(opening_hours={"status": "unknown"}),
        "opening_hours",
        "needs a note",
    ),
    (
        "regular hours without periods",
        site_document(opening_hours={"status": "regular"}),
        "opening_hours",
        "needs at least one period",
    ),
    (
        "priced without date",
        site_document(
            tickets={"status": "priced", "prices": [{"audience": "adult", "amount": 10000}]}
        ),
        "tickets",
        "needs 'as_of'",
    ),
    (
        "negative price",
        site_document(
            tickets={
                "status": "priced",
                "as_of": "2025-01-01",
                "prices": [{"audience": "adult", "amount": -5}],
            }
        ),
        "tickets.prices.0.amount",
        "greater than or equal to 0",
    ),
    (
        "free with prices",
        site_document(tickets={"status": "free", "prices": [{"audience": "adult", "amount": 1}]}),
        "tickets",
        "takes no prices",
    ),
    (
        "bad currency",
        site_document(tickets={"status": "free", "currency": "dong"}),
        "tickets.currency",
        "should match pattern",
    ),
    (
        "short narration",
        site_document(
            narration={
                "vi": {"text": "Ngắn quá.", "origin": "human"},
                "en": site_document()["narration"]["en"],
            }
        ),
        "narration.vi",
        "has 2 words; write 150 to 400",
    ),
    (
        "machine english narration",
        site_document(
            narration={
                "vi": site_document()["narration"]["vi"],
                "en": {**site_document()["narration"]["en"], "origin": "machine", "model": "m"},
            }
        ),
        "narration.en",
        "written or reviewed by a person",
    ),
    (
        "machine text without model",
        site_document(
            description={
                **site_document()["description"],
                "fr": {"text": "Une tour.", "origin": "machine"},
            }
        ),
        "description.fr",
        "name its translation model",
    ),
    (
        "unknown origin",
        site_document(
            description={
                **site_document()["description"],
                "fr": {"text": "Une tour.", "origin": "robot"},
            }
        ),
        "description.fr.origin",
        "Input should be",
    ),
    ("no sources", site_document(sources=[]), "sources", "at least 1 item"),
    (
        "source is not a URL",
        site_document(sources=[{"url": "wikipedia", "title": "W"}]),
        "sources.0.url",
        "should match pattern",
    ),
    ("related to itself", site_document(related=["test-tower"]), "related", "itself"),
    (
        "misspelt field",
        {**site_document(), "descripton": {}},
        "descripton",
        "is not a known field",
    ),
    (
        "missing field",
        {k: v for k, v in site_document().items() if k != "verified"},
        "verified",
        "is required but missing",
    ),
]


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_documents_name_the_field_and_the_reason(
    document: dict[str, Any], field: str, message: str
) -> None:
    problems = _problems(document)
    assert any(f == field and message in m for f, m in problems), problems
