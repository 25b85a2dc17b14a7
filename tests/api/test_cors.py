"""Other sites' pages may call the widget's routes, and nothing else (the staff API least)."""

import pytest
from fastapi.testclient import TestClient

ELSEWHERE = "https://a-hotel.example"


def _preflight(client: TestClient, path: str, method: str = "POST") -> dict[str, str]:
    response = client.options(
        path,
        headers={
            "Origin": ELSEWHERE,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    return dict(response.headers)


@pytest.mark.parametrize(
    ("path", "method"), [("/api/chat", "POST"), ("/api/sites/test-tower/narration/en", "GET")]
)
def test_the_widgets_routes_answer_any_origin(client: TestClient, path: str, method: str) -> None:
    assert _preflight(client, path, method)["access-control-allow-origin"] == "*"


def test_the_widgets_narration_lookup_is_readable_from_any_origin(client: TestClient) -> None:
    response = client.get("/api/sites/test-tower/narration/en", headers={"Origin": ELSEWHERE})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/admin/login", "POST"),
        ("/api/admin/me", "GET"),
        ("/api/admin/sites/test-tower", "PUT"),
        ("/admin/login", "POST"),
    ],
)
def test_the_staff_side_answers_no_other_origin(client: TestClient, path: str, method: str) -> None:
    headers = _preflight(client, path, method)
    assert "access-control-allow-origin" not in headers
    assert "access-control-allow-methods" not in headers


def test_a_staff_answer_to_another_origin_is_not_readable(client: TestClient) -> None:
    response = client.get("/api/admin/me", headers={"Origin": ELSEWHERE})
    assert response.status_code == 401
    assert "access-control-allow-origin" not in response.headers
