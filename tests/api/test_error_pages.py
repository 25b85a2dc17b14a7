"""A wrong address or language on a tourist's page: a page for browsers, JSON for programs."""

import re

import pytest
from fastapi.testclient import TestClient

# What Chromium and Firefox send when the visitor opens an address.
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)


def _browser(**headers: str) -> dict[str, str]:
    return {"Accept": BROWSER_ACCEPT, **headers}


def test_a_mistyped_site_key_is_a_page_offering_the_closest_sites(client: TestClient) -> None:
    response = client.get("/s/test-towr", params={"lang": "fr"}, headers=_browser())
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    html = response.text
    assert '<html lang="fr">' in html
    assert "<h1>Page introuvable</h1>" in html
    assert "Aucun site ne porte le code « test-towr »." in html
    assert '<a href="/s/test-tower/fr">Tour d&#39;essai</a>' in html
    # Ways on: the home page, the map, the list of sites.
    assert 'href="/?lang=fr"' in html
    assert 'href="/map/fr"' in html
    assert 'href="/?lang=fr#sites-title"' in html
    assert "guide_lang" not in response.headers.get("set-cookie", "")


def test_an_unknown_address_is_a_page_in_the_browser_language(client: TestClient) -> None:
    response = client.get("/nowhere", headers=_browser(**{"Accept-Language": "ko-KR,ko;q=0.9"}))
    assert response.status_code == 404
    html = response.text
    assert '<html lang="ko">' in html
    assert "이 주소에는 페이지가 없습니다." in html
    assert 'href="/map/ko"' in html


def test_the_saved_language_speaks_on_the_error_page(client: TestClient) -> None:
    client.cookies.set("guide_lang", "ja")
    html = client.get("/s/atlantis", headers=_browser(**{"Accept-Language": "de"})).text
    assert '<html lang="ja">' in html
    assert "「atlantis」というコードの名所はありません。" in html


def test_a_site_key_is_shown_escaped(client: TestClient) -> None:
    html = client.get("/s/<script>x", headers=_browser(**{"Accept-Language": "en"})).text
    assert "<script>x" not in html
    assert "No site has the code “&lt;script&gt;x”." in html


@pytest.mark.parametrize(
    ("path", "accept_language", "lang", "says"),
    [
        ("/s/test-tower?lang=es", "es-ES,es;q=0.9", "en", "The guide is not available in “es”."),
        ("/?lang=th", "vi", "vi", "Hướng dẫn chưa có bằng ngôn ngữ “th”."),
        ("/map?lang=klingon", "de-DE", "de", "Den Reiseführer gibt es nicht auf „klingon“."),
    ],
)
def test_an_unknown_language_is_a_page_offering_every_language(
    client: TestClient, path: str, accept_language: str, lang: str, says: str
) -> None:
    response = client.get(path, headers=_browser(**{"Accept-Language": accept_language}))
    assert response.status_code == 422
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert says in html
    page = path.split("?")[0]
    for code in ("vi", "en", "zh", "ko", "ja", "fr", "ru", "de"):
        assert f'href="{page}?lang={code}" lang="{code}"' in html
    assert "guide_lang" not in response.headers.get("set-cookie", "")


def test_other_query_parameters_stay_when_a_language_is_chosen(client: TestClient) -> None:
    html = client.get("/map?site=test-tower&lang=es", headers=_browser()).text
    assert 'href="/map?site=test-tower&amp;lang=en"' in html


@pytest.mark.parametrize("accept", ["*/*", "application/json", "text/html;q=0.5,application/json"])
def test_programs_keep_the_json_answers(client: TestClient, accept: str) -> None:
    missing = client.get("/s/atlantis", headers={"Accept": accept})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no site has the key 'atlantis'; see /api/sites"}
    nowhere = client.get("/nowhere", headers={"Accept": accept})
    assert (nowhere.status_code, nowhere.json()) == (404, {"detail": "Not Found"})
    language = client.get("/s/test-tower?lang=es", headers={"Accept": accept})
    assert language.status_code == 422
    [problem] = language.json()["detail"]
    assert problem["loc"] == ["query", "lang"]


@pytest.mark.parametrize("path", ["/api/sites/atlantis", "/api/nowhere", "/api/sites?lang=es"])
def test_the_api_answers_json_even_to_a_browser(client: TestClient, path: str) -> None:
    response = client.get(path, headers=_browser())
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/json"


def test_staff_addresses_are_not_tourist_pages(client: TestClient) -> None:
    response = client.get("/admin/nowhere", headers=_browser())
    assert response.status_code == 404
    assert "Page not found" not in response.text


def test_the_closest_key_comes_first(client: TestClient) -> None:
    html = client.get("/s/test-museun?lang=en", headers=_browser()).text
    closest = html.split('id="closest-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'href="/s/([^/"]+)/en"', closest)[0] == "test-museum"
