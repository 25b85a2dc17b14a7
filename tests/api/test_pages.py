"""The QR landing page and the home page, as HTML (the browser tests drive them for real)."""

import re

import pytest
from fastapi.testclient import TestClient

from api.ui import ui_strings
from sites_data.languages import LANGUAGE_CODES

PAGE_BUDGET_BYTES = 60 * 1024


def test_every_page_text_exists_in_every_language() -> None:
    for name, texts in ui_strings().items():
        assert set(texts) == set(LANGUAGE_CODES), name
        assert all(text.strip() for text in texts.values()), name


def test_the_qr_page_in_the_chosen_language(client: TestClient) -> None:
    response = client.get("/s/test-tower", params={"lang": "fr"})
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fr">' in html
    assert "<h1>Tour d&#39;essai</h1>" in html
    assert "Tháp Thử Nghiệm" in html
    assert "Horaires" in html and "lun., mar.: 07:00–17:00" in html
    assert "Adulte: 20\u202f000 VND" in html and "Tarifs publiés le 2025-01-01." in html
    assert "La narration audio en français est en préparation." in html
    # No French narration yet: the English text, saying so.
    assert "le texte ci-dessous est en anglais" in html
    assert 'href="/s/test-museum/fr"' in html
    assert 'href="/?ask=test-tower&amp;lang=fr"' in html
    # The choice is saved by the redirect to the page's canonical address.
    (redirect,) = response.history
    assert redirect.headers["location"] == "/s/test-tower/fr"
    assert "guide_lang=fr" in redirect.headers["set-cookie"]
    assert "set-cookie" not in response.headers


def test_the_saved_choice_comes_before_the_browser_language(client: TestClient) -> None:
    client.cookies.set("guide_lang", "ja")
    html = client.get("/s/test-tower", headers={"Accept-Language": "de"}).text
    assert '<html lang="ja">' in html
    client.cookies.clear()
    assert '<html lang="de">' in client.get("/s/test-tower", headers={"Accept-Language": "de"}).text
    assert '<html lang="vi">' in client.get("/s/test-tower").text


def test_the_language_switcher_lists_every_language(client: TestClient) -> None:
    html = client.get("/s/test-tower?lang=en").text
    for code in LANGUAGE_CODES:
        assert f'href="?lang={code}" lang="{code}" hreflang="{code}"' in html


def test_the_qr_page_stays_light(client: TestClient) -> None:
    html = client.get("/s/test-tower?lang=en")
    assets = re.findall(r'(?:src|href)="(/(?:static/[^"]+|widget\.[0-9a-f]+\.js))"', html.text)
    total = len(html.content) + sum(len(client.get(asset).content) for asset in assets)
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", asset) for asset in assets}
    assert {"/static/guide.css", "/static/site.js", "/widget.js"} <= names
    assert total <= PAGE_BUDGET_BYTES


def test_site_text_is_escaped(client: TestClient) -> None:
    html = client.get("/s/test-tower?lang=en").text
    assert "<script>alert" not in html
    assert (
        "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    )


def test_unknown_site_page_is_a_404(client: TestClient) -> None:
    response = client.get("/s/atlantis")
    assert response.status_code == 404


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_home_page_lists_every_site_and_embeds_the_widget(
    client: TestClient, lang: str
) -> None:
    html = client.get("/", params={"lang": lang, "ask": "test-tower"}).text
    for key in ("test-tower", "test-museum", "far-away"):
        assert f'href="/s/{key}/{lang}"' in html
    assert re.search(r'src="/widget\.[0-9a-f]{12}\.js"', html) and 'data-site="test-tower"' in html
    assert f'src="/map/{lang}"' in html
