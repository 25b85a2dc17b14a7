"""The JSON admin API on sites: If-Match and 412, validation, revisions, archive, review."""

from typing import Any

from fastapi.testclient import TestClient

from api.settings import Settings
from api.staff.audit import AuditLog
from sites_data.db import Database
from sites_data.jobs import JobStatus, open_job_queue
from tests.api.admin.factories import StaffClient
from tests.factories import human_texts


def _get(client: TestClient, key: str = "test-tower") -> tuple[int, dict[str, Any]]:
    response = client.get(f"/api/admin/sites/{key}")
    assert response.status_code == 200
    return int(response.headers["ETag"].strip('"')), response.json()["site"]


def _put(staff: StaffClient, document: dict[str, Any], revision: int | None) -> Any:
    headers = {"X-CSRF-Token": staff.csrf}
    if revision is not None:
        headers["If-Match"] = f'"{revision}"'
    return staff.client.put(f"/api/admin/sites/{document['key']}", json=document, headers=headers)


def test_a_save_makes_a_revision_with_author_and_diff(editor: StaffClient) -> None:
    revision, document = _get(editor.client)
    assert revision == 1
    document["names"]["fr"] = "Tour d'essai (rénovée)"
    response = _put(editor, document, revision)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json()["updated_by"] == "eva"
    last = editor.client.get("/api/admin/sites/test-tower/revisions").json()[-1]
    assert (last["number"], last["author"], last["action"]) == (2, "eva", "update")
    assert last["changes"] == [
        {"field": "names.fr", "before": "Tour d'essai", "after": "Tour d'essai (rénovée)"}
    ]
    public = editor.client.get("/api/sites/test-tower?lang=fr").json()
    assert public["name"] == "Tour d'essai (rénovée)"


def test_a_stale_save_is_refused_with_the_current_version(
    editor: StaffClient, admin: StaffClient
) -> None:
    revision, document = _get(editor.client)
    theirs = {**document, "notes": human_texts(en="Closed for repairs in March.")}
    assert _put(admin, theirs, revision).status_code == 200
    mine = {**document, "notes": human_texts(en="Best visited at sunset.")}
    response = _put(editor, mine, revision)
    assert response.status_code == 412
    body = response.json()
    assert "changed since revision 1" in body["detail"]
    assert body["current"]["revision"] == 2
    assert body["current"]["updated_by"] == "adam"
    assert body["current"]["site"]["notes"] == human_texts(en="Closed for repairs in March.")
    assert _get(editor.client)[1]["notes"] == human_texts(en="Closed for repairs in March.")


def test_a_save_without_if_match_is_refused(editor: StaffClient) -> None:
    _, document = _get(editor.client)
    response = _put(editor, document, None)
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_an_invalid_site_is_refused_field_by_field_and_nothing_saved(editor: StaffClient) -> None:
    revision, document = _get(editor.client)
    document["location"] = {"lat": 48.85, "lon": 2.35}
    document["tickets"]["prices"][0]["amount"] = "twenty thousand"
    del document["names"]["ko"]
    response = _put(editor, document, revision)
    assert response.status_code == 422
    problems = {tuple(problem["loc"]): problem["msg"] for problem in response.json()["detail"]}
    amount = problems["body", "tickets", "prices", 0, "amount"]
    assert amount.startswith("tickets.prices.0.amount: ") and "valid integer" in amount
    assert _get(editor.client)[0] == revision


def test_the_key_in_the_body_must_match_the_address(editor: StaffClient) -> None:
    revision, document = _get(editor.client)
    response = editor.client.put(
        "/api/admin/sites/test-museum",
        json=document,
        headers={"X-CSRF-Token": editor.csrf, "If-Match": f'"{revision}"'},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "key"],
            "msg": "key: is 'test-tower', not 'test-museum'",
        }
    ]


def test_html_is_stored_as_text(editor: StaffClient) -> None:
    revision, document = _get(editor.client)
    document["names"]["en"] = "<script>alert('x')</script> Tower"
    assert _put(editor, document, revision).status_code == 200
    assert _get(editor.client)[1]["names"]["en"] == "<script>alert('x')</script> Tower"


def test_machine_text_a_person_changed_becomes_reviewed(editor: StaffClient) -> None:
    revision, document = _get(editor.client, "test-museum")
    assert document["description"]["fr"]["origin"] == "machine"
    document["description"]["fr"]["text"] = "Un petit musée."
    assert _put(editor, document, revision).status_code == 200
    fr = _get(editor.client, "test-museum")[1]["description"]["fr"]
    assert fr == {"text": "Un petit musée.", "origin": "reviewed", "model": "opus-mt-en-fr"}


def test_a_narration_change_queues_an_audio_rebuild_of_that_language(
    editor: StaffClient, settings: Settings
) -> None:
    revision, document = _get(editor.client)
    document["narration"]["en"]["text"] += " One more sentence for the tests."
    document["names"]["de"] = "Prüfturm"
    assert _put(editor, document, revision).status_code == 200
    jobs = editor.client.get("/api/admin/sites/test-tower/jobs").json()
    assert [(job["kind"], job["lang"], job["status"]) for job in jobs] == [
        ("narration", "en", "queued")
    ]
    assert jobs[0]["requested_by"] == "eva"
    queue = open_job_queue(Database.open(settings.database_url), settings)
    assert queue.for_site("test-tower")[0].status == JobStatus.QUEUED


def test_restore_brings_back_an_earlier_revision(editor: StaffClient) -> None:
    revision, document = _get(editor.client)
    original_name = document["names"]["en"]
    document["names"]["en"] = "Renamed Tower"
    assert _put(editor, document, revision).status_code == 200
    response = editor.client.post(
        "/api/admin/sites/test-tower/restore",
        json={"revision": 1},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"2"'},
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 3
    assert response.json()["site"]["names"]["en"] == original_name
    actions = [
        r["action"] for r in editor.client.get("/api/admin/sites/test-tower/revisions").json()
    ]
    assert actions == ["create", "update", "restore 1"]


def test_restoring_a_revision_that_does_not_exist_is_a_404(editor: StaffClient) -> None:
    response = editor.client.post(
        "/api/admin/sites/test-tower/restore",
        json={"revision": 9},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"1"'},
    )
    assert response.status_code == 404 and "no revision 9" in response.json()["detail"]


def test_deleting_archives_the_site(editor: StaffClient) -> None:
    response = editor.client.post(
        "/api/admin/sites/test-tower/archive",
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"1"'},
    )
    assert response.status_code == 200 and response.json()["archived"] is True
    assert editor.client.get("/s/test-tower/en").status_code == 404
    assert "test-tower" not in {s["key"] for s in editor.client.get("/api/sites").json()}
    listed = {s["key"]: s for s in editor.client.get("/api/admin/sites").json()}
    assert listed["test-tower"]["archived"] is True
    archived_only = editor.client.get("/api/admin/sites?visibility=archived").json()
    assert [site["key"] for site in archived_only] == ["test-tower"]
    back = editor.client.post(
        "/api/admin/sites/test-tower/unarchive",
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"2"'},
    )
    assert back.status_code == 200 and editor.client.get("/s/test-tower/en").status_code == 200


def test_mark_reviewed(editor: StaffClient, settings: Settings) -> None:
    response = editor.client.post(
        "/api/admin/sites/test-museum/reviewed",
        json={"field": "description", "lang": "fr"},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"1"'},
    )
    assert response.status_code == 200
    assert response.json()["site"]["description"]["fr"]["origin"] == "reviewed"
    again = editor.client.post(
        "/api/admin/sites/test-museum/reviewed",
        json={"field": "description", "lang": "fr"},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": '"2"'},
    )
    assert again.status_code == 409 and "not a machine translation" in again.json()["detail"]
    entry = AuditLog(Database.open(settings.database_url)).entries(actor="eva")[0]
    assert (entry.action.value, entry.target) == ("mark_reviewed", "test-museum")
    assert entry.details == {"field": "description.fr", "model": "opus-mt-en-fr", "revision": 2}


def test_search_and_filters(editor: StaffClient) -> None:
    def keys(**params: str) -> list[str]:
        return [site["key"] for site in editor.client.get("/api/admin/sites", params=params).json()]

    assert keys() == ["far-away", "test-museum", "test-tower"]
    assert keys(q="bao tang thu") == ["test-museum"]
    assert keys(q="Xa Xoi") == ["far-away"]
    assert keys(q="museum")[0] == "test-museum"
    assert keys(category="museum") == ["test-museum"]
    assert keys(former_province="Ninh Thuận") == ["far-away"]
    assert keys(needs_review="true") == ["test-museum"]


def test_every_staff_action_is_in_the_audit_log(
    editor: StaffClient, admin: StaffClient, settings: Settings
) -> None:
    revision, document = _get(editor.client)
    document["notes"] = human_texts(en="A note.")
    assert _put(editor, document, revision).status_code == 200
    headers = {"X-CSRF-Token": admin.csrf}
    admin.client.post("/api/admin/sites/far-away/archive", headers={**headers, "If-Match": '"1"'})
    log = admin.client.get("/api/admin/audit").json()
    actions = [(entry["actor"], entry["action"], entry["target"]) for entry in reversed(log)]
    assert actions == [
        ("eva", "login", "eva"),
        ("adam", "login", "adam"),
        ("eva", "save", "test-tower"),
        ("adam", "archive", "far-away"),
    ]
    save = next(entry for entry in log if entry["action"] == "save")
    assert save["details"] == {"revision": 2, "fields": ["notes.en.text"]}
    assert save["address"] == "testclient"
