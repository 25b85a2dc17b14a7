"""The chat and the public routes refuse input they cannot handle with a 4xx, never a 500."""

import pytest
from fastapi.testclient import TestClient

from tests.fake_rasa import FakeRasa

TWENTY_MB = 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ('{"sender": "v1", "message": NaN}', "message", "is NaN or infinite"),
        ('{"sender": "v1", "message": 1e400}', "message", "is NaN or infinite"),
        ('{"sender": "v1", "message": "hi \\ud800"}', "message", "unpaired UTF-16 surrogate"),
        ('{"sender": -Infinity, "message": "hi"}', "sender", "is NaN or infinite"),
        ('{"sender": "v1", "message": "hi", "site": ["\\udfff"]}', "site.0", "surrogate"),
    ],
)
def test_unstorable_json_is_refused_naming_the_field(
    client: TestClient, rasa: FakeRasa, body: str, field: str, reason: str
) -> None:
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", *(int(p) if p.isdigit() else p for p in field.split("."))]
    assert problem["msg"].startswith(f"{field}: ")
    assert reason in problem["msg"]
    assert rasa.received == []


def test_a_20_mb_chat_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b'{"sender": "v1", "message": "' + b"a" * TWENTY_MB + b'"}'
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "/api/chat accepts at most 16 kB" in detail
    assert "shorter message" in detail
    assert len(response.content) < 1000


def test_a_chunked_body_is_counted_as_it_arrives(client: TestClient) -> None:
    def chunks() -> object:
        yield b'{"sender": "v1", "message": "'
        for _ in range(40):
            yield b"a" * 1024
        yield b'"}'

    response = client.post(
        "/api/chat", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "more than 16 kB" in response.json()["detail"]


def test_a_long_message_is_refused_without_being_echoed(client: TestClient, rasa: FakeRasa) -> None:
    message = "xyz" * 2000
    response = client.post("/api/chat", json={"sender": "v1", "message": message})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "message"]
    assert problem["msg"] == "message: String should have at most 1000 characters"
    assert "xyz" not in response.text
    assert rasa.received == []


def test_a_message_within_the_limits_still_reaches_the_assistant(
    client: TestClient, rasa: FakeRasa
) -> None:
    message = "ồ" * 1000  # 3 bytes each in UTF-8, 6 as a JSON escape
    response = client.post(
        "/api/chat",
        content=f'{{"sender": "v1", "message": "{message}"}}'.encode("ascii", "backslashreplace"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert rasa.received[0]["message"] == message
