"""The chat proxy against a Rasa REST channel on a real port, and the widget script."""

import time

from fastapi.testclient import TestClient

from tests.fake_rasa import FakeRasa


def test_a_message_goes_to_rasa_with_language_and_site(client: TestClient, rasa: FakeRasa) -> None:
    response = client.post(
        "/api/chat",
        json={"sender": "v1", "message": "giờ mở cửa?", "lang": "vi", "site": "test-tower"},
    )
    assert response.status_code == 200
    assert rasa.received == [
        {"sender": "v1", "message": "giờ mở cửa?", "metadata": {"lang": "vi", "site": "test-tower"}}
    ]
    reply = response.json()
    assert reply["lang"] == "vi"
    assert reply["messages"][0] == {
        "text": "You said: giờ mở cửa?",
        "links": None,
        "buttons": [{"title": "Opening hours", "payload": "/ask_hours"}],
    }
    assert reply["messages"][1]["links"] == [{"title": "Narration", "url": "/s/test-tower?lang=en"}]


def test_the_browser_language_is_used_when_none_is_given(
    client: TestClient, rasa: FakeRasa
) -> None:
    client.post(
        "/api/chat",
        json={"sender": "v1", "message": "hallo"},
        headers={"Accept-Language": "de-DE,de;q=0.9"},
    )
    assert rasa.received[0]["metadata"]["lang"] == "de"


def test_the_reply_language_is_the_language_of_the_message(
    client: TestClient, rasa: FakeRasa
) -> None:
    reply = client.post(
        "/api/chat", json={"sender": "v1", "message": "Wie viel kostet der Eintritt?", "lang": "en"}
    ).json()
    assert rasa.received[0]["metadata"]["lang"] == "de"
    assert reply["lang"] == "de"
    client.post("/api/chat", json={"sender": "v1", "message": "ok", "lang": "fr"})
    assert rasa.received[1]["metadata"]["lang"] == "fr"  # too short to tell: the page's


def test_a_button_payload_keeps_the_page_language(client: TestClient, rasa: FakeRasa) -> None:
    payload = '/ask_about{"site": "test-museum"}'
    client.post("/api/chat", json={"sender": "v1", "message": payload, "lang": "ko"})
    assert rasa.received[0]["metadata"]["lang"] == "ko"


def test_links_join_the_text_before_them_and_a_language_switch_is_followed(
    client: TestClient, rasa: FakeRasa
) -> None:
    rasa.reply = [
        {"recipient_id": "v1", "text": "Gut, der Chat ist jetzt auf Deutsch."},
        {"recipient_id": "v1", "custom": {"lang": "de"}},
        {"recipient_id": "v1", "text": "Wegbeschreibung:"},
        {"recipient_id": "v1", "custom": {"links": [{"title": "Route", "url": "/map"}]}},
    ]
    reply = client.post(
        "/api/chat", json={"sender": "v1", "message": "speak German please", "lang": "en"}
    ).json()
    assert reply["lang"] == "de"
    assert reply["messages"] == [
        {"text": "Gut, der Chat ist jetzt auf Deutsch.", "buttons": None, "links": None},
        {"text": "Wegbeschreibung:", "buttons": None, "links": [{"title": "Route", "url": "/map"}]},
    ]


def test_a_slow_assistant_gets_a_clear_503_before_the_deadline(
    client: TestClient, rasa: FakeRasa
) -> None:
    rasa.delay_s = 3.0
    started = time.monotonic()
    response = client.post("/api/chat", json={"sender": "v1", "message": "hello"})
    assert response.status_code == 503
    assert time.monotonic() - started < 2.5
    assert "not available" in response.json()["detail"]


def test_an_assistant_that_is_down_gets_a_503(client: TestClient, rasa: FakeRasa) -> None:
    rasa.shutdown()
    rasa.server_close()
    response = client.post("/api/chat", json={"sender": "v1", "message": "hello"})
    assert response.status_code == 503


def test_an_empty_reply_is_a_503(client: TestClient, rasa: FakeRasa) -> None:
    rasa.reply = []  # what Rasa sends when its action server is down
    response = client.post("/api/chat", json={"sender": "v1", "message": "hello"})
    assert response.status_code == 503
    assert "not available" in response.json()["detail"]


def test_bad_chat_requests_are_422(client: TestClient) -> None:
    assert client.post("/api/chat", json={"sender": "v1", "message": "  "}).status_code == 422
    assert client.post("/api/chat", json={"message": "hi"}).status_code == 422
    wrong = client.post("/api/chat", json={"sender": "v1", "message": "hi", "lang": "xx"})
    assert wrong.status_code == 422
    [problem] = wrong.json()["detail"]
    assert problem["loc"] == ["body", "lang"] and "supported ones are" in problem["msg"]


def test_the_widget_carries_its_texts_in_every_language(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "__STRINGS__" not in response.text
    for text in ("Ask the guide", "Hỏi hướng dẫn viên", "向导游提问", "Den Guide fragen"):
        assert text in response.text
    assert "innerHTML" not in response.text.split("root.innerHTML", 1)[1]


def test_the_widget_can_be_called_from_other_sites(client: TestClient) -> None:
    response = client.options(
        "/api/chat",
        headers={
            "Origin": "https://museum.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.headers["access-control-allow-origin"] == "*"
