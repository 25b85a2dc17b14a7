""" "Translate the missing languages" from the staff page and the JSON API: a translation
job per missing language, which the worker drafts as machine text, queueing the narration;
failures shown with their reason."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from api.settings import Settings
from api.staff.audit import AuditLog
from narration.worker import NarrationJobs
from sites_data.db import Database
from sites_data.jobs import Job, JobKind
from sites_data.languages import LANGUAGE_CODES
from tests.api.admin.factories import StaffClient, make_staff, sign_in
from tests.narration.tiny_models import tiny_marian

HUMAN_LANGUAGES = ["vi", "en"]  # test-tower's text in the other languages is missing
MISSING = [lang for lang in LANGUAGE_CODES if lang not in HUMAN_LANGUAGES]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight Marian model, loaded through the real code from a local folder."""
    return tiny_marian(tmp_path_factory.mktemp("models") / "opus-mt-tiny")


@pytest.fixture
def translating(settings: Settings, tiny_model: Path) -> Iterator[StaffClient]:
    make_staff(settings.database_url)
    app = create_app(settings.model_copy(update={"mt_model": str(tiny_model)}))
    with TestClient(app, follow_redirects=False) as client:
        yield sign_in(client, "eva")


def _translate_queued(client: TestClient) -> None:
    """What a worker does with the jobs queued now: the translations are drafted, and the
    narration their drafts queued before is not built (its jobs fail, saying so), which
    these tests leave to the narration's own."""
    services: Services = cast(FastAPI, client.app).state.services
    translate = NarrationJobs(services.narration)

    def translations_only(job: Job) -> str | None:
        return translate(job) if job.kind == JobKind.TRANSLATION else "not built in this test"

    services.jobs.work(translations_only, "test-worker", once=True)


def _jobs(client: TestClient, kind: str) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = client.get("/api/admin/sites/test-tower/jobs").json()
    return [job for job in jobs if job["kind"] == kind]


def _audit(settings: Settings) -> list[tuple[str, str, dict[str, object]]]:
    entries = AuditLog(Database.open(settings.database_url)).entries()
    return [(entry.action.value, entry.target, entry.details) for entry in entries]


def report_details(report: dict[str, object]) -> dict[str, object]:
    return {name: report[name] for name in ("queued", "kept")}


def test_the_api_drafts_every_missing_language_and_queues_its_narration(
    translating: StaffClient, tiny_model: Path, settings: Settings
) -> None:
    client = translating.client
    response = client.post(
        "/api/admin/sites/test-tower/translate", headers={"X-CSRF-Token": translating.csrf}
    )
    assert response.status_code == 202, response.text
    report = response.json()
    assert report == {"site_key": "test-tower", "queued": MISSING, "kept": HUMAN_LANGUAGES}
    assert ("machine_drafts", "test-tower", report_details(report)) in _audit(settings)
    assert {job["lang"] for job in _jobs(client, "translation")} == set(MISSING)

    _translate_queued(client)
    assert {(job["lang"], job["status"]) for job in _jobs(client, "translation")} == {
        (lang, "done") for lang in MISSING
    }
    stored = client.get("/api/admin/sites/test-tower").json()
    for lang in MISSING:
        for field in ("narration", "description"):
            assert stored["site"][field][lang]["origin"] == "machine"
            assert stored["site"][field][lang]["model"] == str(tiny_model)
    assert stored["site"]["narration"]["en"]["origin"] == "human"
    jobs = _jobs(client, "narration")
    assert sorted(job["lang"] for job in jobs) == sorted(MISSING)
    assert {(job["kind"], job["status"], job["requested_by"]) for job in jobs} == {
        ("narration", "queued", "eva")
    }

    again = client.post(
        "/api/admin/sites/test-tower/translate", headers={"X-CSRF-Token": translating.csrf}
    )
    assert again.json()["queued"] == MISSING  # machine texts may be drafted again, when stale
    _translate_queued(client)
    assert client.get("/api/admin/sites/test-tower").json()["revision"] == stored["revision"]


def test_the_page_shows_the_drafts_with_their_machine_badge(
    translating: StaffClient, tiny_model: Path
) -> None:
    response = translating.client.post(
        "/admin/sites/test-tower/translate?lang=fr&ui=en", data={"csrf_token": translating.csrf}
    )
    assert response.status_code == 200, response.text
    page = response.text
    assert "Queued for machine translation" in page and "Français" in page
    assert "Left as they are:" in page
    assert page.count("<td>Machine translation</td>") == len(MISSING)
    assert page.count('<span class="badge job-queued">Waiting</span>') == len(MISSING)

    _translate_queued(translating.client)
    page = translating.client.get("/admin/sites/test-tower?lang=fr&ui=en").text
    # The French tab now holds the machine text, with its badge and "mark reviewed".
    assert re.search(r'<textarea id="narration\.fr"[^>]*>\S', page)
    assert f"Machine translation · {tiny_model}" in page
    assert 'name="lang" value="fr"' in page and "Mark reviewed" in page
    assert page.count('<span class="badge job-done">Done</span>') == len(MISSING)
    assert page.count("<td>Audio</td>") == len(MISSING)


def test_a_missing_translation_model_is_reported_per_language_in_plain_words(
    editor: StaffClient, settings: Settings
) -> None:
    api = editor.client.post(
        "/api/admin/sites/test-tower/translate", headers={"X-CSRF-Token": editor.csrf}
    )
    assert api.status_code == 202
    _translate_queued(editor.client)
    failed = {job["lang"]: job["error"] for job in _jobs(editor.client, "translation")}
    assert sorted(failed) == sorted(MISSING)
    assert "translation model 'facebook/m2m100_418M' is not on this machine" in failed["fr"]
    assert "GUIDE_MT_MODEL" in failed["fr"]
    assert {job["status"] for job in _jobs(editor.client, "translation")} == {"failed"}
    assert _jobs(editor.client, "narration") == []

    page = editor.client.get("/admin/sites/test-tower?lang=en&ui=en")
    assert page.status_code == 200
    html = page.text
    assert '<span class="badge job-failed">Failed</span>' in html
    # Said once, in plain words, before the form; the technical reason folded away.
    notice = html[: html.index('id="site-form"')]
    assert html.count("no machine translation model installed") == 1
    assert "no machine translation model installed" in notice
    assert "Not translated into: " in notice and "Français" in notice and "日本語" in notice
    assert html.count("is not on this machine") == 1 and "Traceback" not in html
    assert "<details><summary>Technical details (for an admin)</summary>" in notice
    editor.client.post(
        "/admin/sites/test-tower/translate?lang=en&ui=en", data={"csrf_token": editor.csrf}
    )
    assert [action for action, _, _ in _audit(settings)].count("machine_drafts") == 2


def test_an_unknown_site_is_a_404(editor: StaffClient) -> None:
    api = editor.client.post(
        "/api/admin/sites/nowhere/translate", headers={"X-CSRF-Token": editor.csrf}
    )
    assert api.status_code == 404
    page = editor.client.post("/admin/sites/nowhere/translate", data={"csrf_token": editor.csrf})
    assert page.status_code == 404
