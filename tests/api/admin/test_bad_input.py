"""Input no staff route can store is refused with a 4xx naming the field, never a 500."""

import asyncio
import json

import httpx
import pytest
from fastapi import FastAPI

from api.input_checks import MAX_ID
from tests.api.admin.factories import PASSWORDS, StaffClient

# JSON Python's parser accepts but nothing can serialise back or store.
UNSTORABLE = {
    "nan": "NaN",
    "infinity": "1e400",
    "lone surrogate": '"\\ud800"',
}
AT_2_POW_63 = str(2**63)


def _post(staff: StaffClient, method: str, path: str, body: str, **headers: str) -> httpx.Response:
    headers = {"Content-Type": "application/json", "X-CSRF-Token": staff.csrf, **headers}
    return staff.client.request(method, path, content=body, headers=headers)


def _names_the_field(response: httpx.Response, loc: list[str | int]) -> str:
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert [problem["loc"] for problem in problems] == [["body", *loc]]
    return str(problems[0]["msg"])


@pytest.mark.parametrize("value", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_unstorable_json_is_refused_on_every_route(admin: StaffClient, value: str) -> None:
    cases = [
        ("POST", "/api/admin/login", f'{{"username": {value}, "password": "x"}}', ["username"]),
        ("PATCH", "/api/admin/staff/eva", f'{{"role": "editor", "active": {value}}}', ["active"]),
        ("POST", "/api/admin/sites/test-tower/restore", f'{{"revision": {value}}}', ["revision"]),
        ("POST", "/api/admin/reports/unanswered/handled", f'{{"ids": [1, {value}]}}', ["ids", 1]),
    ]
    for method, path, body, loc in cases:
        response = _post(admin, method, path, body, **{"If-Match": '"1"'})
        message = _names_the_field(response, loc)
        assert message.startswith(".".join(map(str, loc)) + ": ")
        assert ("finite" in message) != ("Unicode" in message)


def test_a_surrogate_in_a_site_document_is_refused_before_it_is_saved(
    editor: StaffClient,
) -> None:
    document = editor.client.get("/api/admin/sites/test-tower").json()["site"]
    body = json.dumps(document).replace('"Tour d\'essai"', '"Tour \\ud800"')
    assert "\\ud800" in body
    response = _post(editor, "PUT", "/api/admin/sites/test-tower", body, **{"If-Match": '"1"'})
    assert "names.fr: holds an unpaired UTF-16 surrogate" in _names_the_field(
        response, ["names", "fr"]
    )
    assert editor.client.get("/api/admin/sites/test-tower").headers["ETag"] == '"1"'


def test_a_location_that_is_not_finite_is_refused(editor: StaffClient) -> None:
    document = editor.client.get("/api/admin/sites/test-tower").json()["site"]
    document["location"]["lat"] = float("nan")
    response = _post(
        editor, "PUT", "/api/admin/sites/test-tower", json.dumps(document), **{"If-Match": '"1"'}
    )
    assert "location.lat: is NaN or infinite" in _names_the_field(response, ["location", "lat"])


def test_ids_beyond_what_json_keeps_exact_are_refused(admin: StaffClient) -> None:
    restore = _post(
        admin,
        "POST",
        "/api/admin/sites/test-tower/restore",
        f'{{"revision": {AT_2_POW_63}}}',
        **{"If-Match": '"1"'},
    )
    assert "less than or equal to 9007199254740991" in _names_the_field(restore, ["revision"])
    handled = _post(
        admin, "POST", "/api/admin/reports/unanswered/handled", f'{{"ids": [{AT_2_POW_63}]}}'
    )
    assert _names_the_field(handled, ["ids", 0]).startswith("ids.0: ")
    stale = _post(
        admin,
        "POST",
        "/api/admin/sites/test-tower/restore",
        '{"revision": 1}',
        **{"If-Match": f'"{AT_2_POW_63}"'},
    )
    assert stale.status_code == 400
    assert "is not a revision number" in stale.json()["detail"]


def test_the_largest_id_is_still_an_ordinary_unknown(admin: StaffClient) -> None:
    largest = str(MAX_ID)
    response = _post(
        admin,
        "POST",
        "/api/admin/sites/test-tower/restore",
        f'{{"revision": {largest}}}',
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 404


def test_page_forms_refuse_integers_beyond_64_bits(admin: StaffClient) -> None:
    response = admin.client.post(
        "/admin/sites/test-tower/restore",
        data={"number": AT_2_POW_63, "based_on": "1", "csrf_token": admin.csrf},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "number"]
    handled = admin.client.post(
        "/admin/reports/handled", data={"question": AT_2_POW_63, "csrf_token": admin.csrf}
    )
    assert handled.status_code == 422


@pytest.mark.parametrize("if_match", [b"\xb2", b'"\xb2"', b"\xb9\xb2", b"'7'", b"7.0", b""])
def test_an_if_match_that_is_not_a_revision_is_refused(app: FastAPI, if_match: bytes) -> None:
    """Raw header bytes, as any HTTP client may send them (TestClient re-encodes as UTF-8)."""

    async def restore() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://guide") as client:
            login = await client.post(
                "/api/admin/login", json={"username": "adam", "password": PASSWORDS["adam"]}
            )
            headers = httpx.Headers(
                [
                    (b"X-CSRF-Token", login.json()["csrf_token"].encode()),
                    (b"If-Match", if_match),
                ]
            )
            return await client.post(
                "/api/admin/sites/test-tower/restore", json={"revision": 1}, headers=headers
            )

    response = asyncio.run(restore())
    assert response.status_code == 400
    assert "is not a revision number" in response.json()["detail"]


def test_a_page_form_with_a_superscript_revision_is_refused(editor: StaffClient) -> None:
    response = editor.client.post(
        "/admin/sites/test-tower/save?lang=en",
        data={"based_on": "²", "csrf_token": editor.csrf},
    )
    assert response.status_code == 400
    assert "phiên bản mà nó dựa vào" in response.text  # the page speaks Vietnamese by default


@pytest.mark.parametrize("limit", ["-1", "0", "1001", AT_2_POW_63])
def test_the_audit_log_limit_is_bounded(admin: StaffClient, limit: str) -> None:
    response = admin.client.get(f"/api/admin/audit?limit={limit}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    assert response.json()["detail"][0]["msg"].startswith("limit: ")


def test_the_audit_log_limit_is_honoured(admin: StaffClient, editor: StaffClient) -> None:
    signed_in = admin.client.get("/api/admin/audit?limit=2").json()
    assert [entry["actor"] for entry in signed_in] == ["eva", "adam"]
    assert len(admin.client.get("/api/admin/audit?limit=1").json()) == 1


def test_20_mb_of_notes_are_refused_before_they_are_read(editor: StaffClient) -> None:
    document = editor.client.get("/api/admin/sites/test-tower").json()["site"]
    document["notes"] = {"en": {"text": "n" * 20_000_000, "origin": "human"}}
    response = _post(
        editor, "PUT", "/api/admin/sites/test-tower", json.dumps(document), **{"If-Match": '"1"'}
    )
    assert response.status_code == 413
    assert "accepts at most 1.0 MB" in response.json()["detail"]
    assert len(response.content) < 1000
    page = editor.client.post(
        "/admin/sites/test-tower/save?lang=en",
        data={"based_on": "1", "notes.en": "n" * 2_000_000, "csrf_token": editor.csrf},
    )
    assert page.status_code == 413
    assert "Shorten the longest texts" in page.text
    assert "nnnn" not in editor.client.get("/s/test-tower/en").text


def test_notes_longer_than_a_text_may_be_are_refused_by_field(editor: StaffClient) -> None:
    document = editor.client.get("/api/admin/sites/test-tower").json()["site"]
    document["notes"] = {"en": {"text": "n" * 8001, "origin": "human"}}
    response = _post(
        editor, "PUT", "/api/admin/sites/test-tower", json.dumps(document), **{"If-Match": '"1"'}
    )
    assert "at most 8000 characters" in _names_the_field(response, ["notes", "en", "text"])
    assert "nnnn" not in response.text
