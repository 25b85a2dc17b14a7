"""The language of a tourist's page, chosen from real request headers."""

import pytest
from fastapi.testclient import TestClient


def _page_language(client: TestClient, accept_language: str | None) -> str:
    headers = {} if accept_language is None else {"Accept-Language": accept_language}
    html = client.get("/s/test-tower", headers=headers).text
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        # Only languages the guide does not speak: English, not Vietnamese.
        ("es-ES,es;q=0.9", "en"),
        ("th-TH,th;q=0.9", "en"),
        ("pt-BR", "en"),
        # A supported language anywhere in the list wins by its q-value.
        ("es-ES,es;q=0.9,fr;q=0.8,en;q=0.7", "fr"),
        ("th;q=1.0, de;q=0.3", "de"),
        ("en;q=0.5, zh-CN;q=0.9, es", "zh"),
        ("ja;q=0, es", "en"),
        # No language named at all: Vietnamese, the guide's own.
        (None, "vi"),
        ("*", "vi"),
    ],
)
def test_the_browser_language_or_english(
    client: TestClient, accept_language: str | None, lang: str
) -> None:
    assert _page_language(client, accept_language) == lang


def test_the_api_falls_back_the_same_way(client: TestClient) -> None:
    spanish = client.get("/api/sites/test-tower", headers={"Accept-Language": "es"})
    assert spanish.json()["lang"] == "en"
    assert client.get("/api/sites/test-tower").json()["lang"] == "vi"
