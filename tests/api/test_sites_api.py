"""The public site API: list, filters, detail, search, and the errors a client can make."""

from itertools import pairwise

import pytest
from fastapi.testclient import TestClient


def test_healthz_counts_the_public_sites(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "sites": 3}


def test_openapi_documents_every_route(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/sites", "/api/sites/{key}", "/api/search", "/healthz"} <= set(paths)


def test_list_in_a_language_with_fallback_and_origin(client: TestClient) -> None:
    sites = {s["key"]: s for s in client.get("/api/sites", params={"lang": "fr"}).json()}
    assert set(sites) == {"test-tower", "test-museum", "far-away"}
    assert sites["test-museum"]["name"] == "Musée d'essai"
    assert sites["test-museum"]["description"] == {
        "lang": "fr",
        "text": "Un musée.",
        "origin": "machine",
    }
    # No French description: the English one, saying so.
    assert sites["test-tower"]["description"]["lang"] == "en"


def test_filter_by_category(client: TestClient) -> None:
    keys = [s["key"] for s in client.get("/api/sites?category=museum").json()]
    assert keys == ["test-museum"]


def test_near_sorts_by_distance_within_the_radius(client: TestClient) -> None:
    sites = client.get("/api/sites", params={"near": "13.795,109.21", "radius_km": 5}).json()
    assert [s["key"] for s in sites] == ["test-museum", "test-tower"]
    assert sites[0]["distance_km"] == pytest.approx(0.56, abs=0.01)
    assert sites[0]["distance_km"] <= sites[1]["distance_km"]


def test_detail_in_the_chosen_language(client: TestClient) -> None:
    site = client.get("/api/sites/test-tower", params={"lang": "de"}).json()
    assert site["name"] == "Testturm"
    assert site["lang"] == "de"
    assert site["narration"]["lang"] == "en"
    assert site["tickets"]["prices"] == [{"audience": "adult", "amount": 20000, "note": {}}]
    assert site["tickets"]["as_of"] == "2025-01-01"
    assert site["related"] == [
        {"key": "test-museum", "name": "Testturm"},
        {"key": "far-away", "name": "Testturm"},
    ]


def test_language_from_accept_language_then_english(client: TestClient) -> None:
    korean = client.get("/api/sites/test-tower", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert korean.json()["lang"] == "ko"
    plain = client.get("/api/sites/test-tower", headers={"Accept-Language": "es"})
    assert plain.json()["lang"] == "en"


def test_unknown_site_is_a_404_that_says_so(client: TestClient) -> None:
    response = client.get("/api/sites/atlantis")
    assert response.status_code == 404
    assert response.json() == {"detail": "no site has the key 'atlantis'; see /api/sites"}


@pytest.mark.parametrize(
    "path",
    ["/api/sites?lang=xx", "/api/sites/test-tower?lang=es", "/api/search?q=thap&lang=klingon"],
)
def test_unknown_language_is_a_422_listing_the_supported_ones(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "lang"]
    assert "the supported ones are vi, en, zh, ko, ja, fr, ru, de" in problem["msg"]


@pytest.mark.parametrize("near", ["13.7", "north,east", "95,109", "13.7,181", "nan,109", ""])
def test_a_bad_point_is_a_422_with_an_example(client: TestClient, near: str) -> None:
    response = client.get("/api/sites", params={"near": near})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "near"]
    assert problem["msg"].startswith(f"near: {near!r} is not a point")
    assert "e.g. 13.78,109.21" in problem["msg"]


def test_unknown_category_is_a_422(client: TestClient) -> None:
    assert client.get("/api/sites?category=castle").status_code == 422


def test_search_returns_hits_best_first_with_keys(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "bao tang thu", "lang": "en"}).json()
    assert hits[0]["key"] == "test-museum"
    assert hits[0]["name"] == "Test Museum"
    assert all(a["score"] >= b["score"] for a, b in pairwise(hits))


def test_search_needs_a_query(client: TestClient) -> None:
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search?q=").status_code == 422


def test_search_for_nonsense_finds_nothing(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "qwxz pizza"}).json() == []
