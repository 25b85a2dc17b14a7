"""Reports, staff accounts and the audit log as staff see them, and the pages' texts."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from api.settings import Settings
from api.staff.text import ADMIN_LANGUAGES, admin_strings
from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database, utcnow
from tests.api.admin.factories import StaffClient

TEMPLATES = Path(__file__).parents[3] / "api" / "templates" / "admin"


@pytest.fixture
def activity(settings: Settings) -> ActivityLog:
    log = ActivityLog(Database.open(settings.database_url))
    today = utcnow().date()
    log.record_unanswered("Is there a night tour?", "en", Unanswered.FALLBACK, "v1", "test-tower")
    log.record_unanswered("Can I fly a drone here?", "en", Unanswered.OUT_OF_SCOPE, "v2")
    log.record_unanswered("有中文导游吗", "zh", Unanswered.HANDOFF, "v3")
    for _ in range(3):
        log.count(Counted.PLAY, "fr", "test-tower", today)
    log.count(Counted.PLAY, "vi", "test-museum", today - timedelta(days=1))
    log.count(Counted.PLAY, "vi", "test-museum", today - timedelta(days=40))
    for lang in ("en", "en", "ko"):
        log.count(Counted.CONVERSATION, lang, day=today)
    return log


def test_the_reports_page(editor: StaffClient, activity: ActivityLog) -> None:
    html = editor.client.get("/admin/reports?ui=en").text
    counts = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert counts is not None
    assert re.findall(r"<td>([^<]+)</td><td>(\d+)</td>", counts[1]) == [
        ("English", "2"),
        ("简体中文", "1"),
    ]
    assert "Can I fly a drone here?" in html and "Out of scope" in html
    assert '<td class="question" lang="zh">有中文导游吗</td>' in html
    today = utcnow().date()
    site_link = '<a href="/admin/sites/test-tower">test-tower</a>'
    assert f"<td>{today}</td><td>{site_link}</td><td>Français</td><td>3</td>" in html
    assert f"<td>{today - timedelta(days=1)}</td>" in html
    assert str(today - timedelta(days=40)) not in html  # older than the 30 days shown
    assert f"<td>{today}</td><td>3</td>" in html  # conversations that day, all languages


def test_marking_questions_handled(
    editor: StaffClient, activity: ActivityLog, settings: Settings
) -> None:
    open_ids = [question.id for question in activity.questions(lang="en")]
    response = editor.client.post(
        "/admin/reports/handled", data={"question": open_ids, "csrf_token": editor.csrf}
    )
    assert response.status_code == 303
    assert activity.open_questions_by_language() == {"zh": 1}
    handled = activity.questions(include_handled=True, lang="en")
    assert {question.handled_by for question in handled} == {"eva"}
    html = editor.client.get("/admin/reports?ui=en&include_handled=true&lang=en").text
    assert (
        "Is there a night tour?" in html and '<span class="badge job-done">Handled</span>' in html
    )
    api = editor.client.get("/api/admin/reports/unanswered/by-language").json()
    assert api == {"zh": 1}


def test_ticking_nothing_is_refused_with_the_reason(editor: StaffClient) -> None:
    response = editor.client.post("/admin/reports/handled", data={"csrf_token": editor.csrf})
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một câu hỏi" in response.text


def test_report_api_counts(editor: StaffClient, activity: ActivityLog) -> None:
    plays = editor.client.get("/api/admin/reports/plays?days=7").json()
    assert [(p["site_key"], p["lang"], p["count"]) for p in plays] == [
        ("test-tower", "fr", 3),
        ("test-museum", "vi", 1),
    ]
    conversations = editor.client.get("/api/admin/reports/conversations?days=1").json()
    assert {c["lang"]: c["count"] for c in conversations} == {"en": 2, "ko": 1}
    assert editor.client.get("/api/admin/reports/plays?days=0").status_code == 422


def test_admins_manage_staff_from_the_page(admin: StaffClient, settings: Settings) -> None:
    response = admin.client.post(
        "/admin/staff",
        data={
            "username": "thu",
            "password": "thu's long password",
            "role": "editor",
            "csrf_token": admin.csrf,
        },
    )
    assert response.status_code == 303
    html = admin.client.get("/admin/staff?ui=en").text
    assert "<td>thu</td>" in html
    response = admin.client.post(
        "/admin/staff/thu", data={"role": "admin", "active": "false", "csrf_token": admin.csrf}
    )
    assert response.status_code == 303
    accounts = {a["username"]: a for a in admin.client.get("/api/admin/staff").json()}
    assert (accounts["thu"]["role"], accounts["thu"]["active"]) == ("admin", False)
    refused = admin.client.post(
        "/admin/staff",
        data={"username": "x", "password": "short", "role": "editor", "csrf_token": admin.csrf},
    )
    assert refused.status_code == 422 and "is not allowed" in refused.text
    audit = admin.client.get("/admin/audit?ui=en&actor=adam").text
    assert "staff_create" in audit and "staff_update" in audit
    assert "eva" not in re.findall(r"<td>(\w+)</td><td>(?:login|save)</td>", audit)


def test_every_text_the_pages_use_exists_in_both_languages() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text("utf-8")
        used |= set(re.findall(r"(?<![\w.])t\(\s*[\"']([a-z_]+)[\"']", source))
        # Names built from a prefix: each value the pages can give them.
        used |= {match for match in re.findall(r'(?<![\w.])t\("([a-z]+_)"', source)}
    strings = admin_strings()
    prefixes = {name for name in used if name.endswith("_")}
    assert not {name for name in used - prefixes if name not in strings}
    for prefix in prefixes:
        assert any(name.startswith(prefix) for name in strings), prefix
    for name, texts in strings.items():
        assert set(texts) == set(ADMIN_LANGUAGES), name
        assert all(text.strip() for text in texts.values()), name
