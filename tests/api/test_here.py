""" "You are here" over HTTP: /api/here answers from the position, refuses bad input by name."""

from fastapi.testclient import TestClient

from api.static_assets import asset_url
from maps import load_labels


def test_at_the_test_tower(client: TestClient) -> None:
    answer = client.get("/api/here", params={"lat": 13.7801, "lon": 109.21, "lang": "fr"}).json()
    assert answer["at"]["key"] == "test-tower"
    assert answer["at"]["page"] == "/s/test-tower?lang=fr"
    assert answer["text"] == "Vous êtes à Tour d'essai."
    assert [place["key"] for place in answer["nearest"]] == ["test-museum", "far-away"]
    assert answer["tour"] is None


def test_away_from_every_site_the_nearest_in_the_visitors_language(client: TestClient) -> None:
    response = client.get(
        "/api/here", params={"lat": 13.70, "lon": 109.21}, headers={"Accept-Language": "de"}
    )
    answer = response.json()
    assert answer["at"] is None
    assert answer["text"] == load_labels().here.not_at["de"]
    assert answer["nearest"][0]["key"] == "test-tower"
    assert answer["nearest"][0]["where"] == "8,9 km nördlich"


def test_bad_positions_are_refused_naming_the_field(client: TestClient) -> None:
    for params, field in (
        ({"lat": 91, "lon": 109.21}, "lat"),
        ({"lat": 13.78, "lon": "east"}, "lon"),
        ({"lon": 109.21}, "lat"),
    ):
        response = client.get("/api/here", params=params)
        assert response.status_code == 422, params
        assert [problem["loc"] for problem in response.json()["detail"]] == [["query", field]]


def test_an_unknown_tour_is_a_clear_404(client: TestClient) -> None:
    response = client.get("/api/here", params={"lat": 13.78, "lon": 109.21, "tour": "nowhere"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no tour has the key 'nowhere'; the tours are ")


def test_the_qr_page_and_home_offer_where_am_i_without_asking_on_load(
    client: TestClient,
) -> None:
    button = load_labels().here.button["en"]
    for path in ("/s/test-tower?lang=en", "/?lang=en"):
        html = client.get(path).text
        assert f"data-here-button>{button}</button>" in html
        assert f'<script src="{asset_url("here.js")}" defer></script>' in html
    page = client.get("/s/test-tower?lang=en").text
    assert 'data-site="test-tower"' in page
    assert "https://www.openstreetmap.org/directions?route=%3B13.78%2C109.21" in page


def test_here_js_asks_for_the_position_only_when_the_button_is_pressed(
    client: TestClient,
) -> None:
    script = client.get("/static/here.js").text
    asked = script.index("getCurrentPosition")
    assert script.rindex('addEventListener("click"', 0, asked) > 0
    assert script.count("getCurrentPosition") == 1
