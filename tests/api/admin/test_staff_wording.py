"""The staff pages read by someone who is not a programmer, in Vietnamese or English:
messages in their language, problems in words, readable revisions, grouped questions,
a confirmation before archiving, what each site still lacks, and the preview's summary."""

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.settings import Settings
from sites_data.activity import ActivityLog, Unanswered
from sites_data.db import Database, UnansweredQuestionRow, make_engine
from tests.api.admin.factories import StaffClient
from tests.api.admin.forms import as_data, form_fields, replace
from tests.api.admin.test_site_api import _get


def _form(staff: StaffClient, lang: str, ui: str) -> list[tuple[str, str]]:
    page = staff.client.get(f"/admin/sites/test-tower?lang={lang}&ui={ui}")
    return form_fields(page.text, "site-form")


def _save(staff: StaffClient, fields: list[tuple[str, str]], lang: str, ui: str) -> str:
    response = staff.client.post(
        f"/admin/sites/test-tower/save?lang={lang}&ui={ui}", data=as_data(fields)
    )
    return response.text if response.status_code != 303 else ""


def test_a_failed_sign_in_is_told_in_the_pages_language(anonymous: TestClient) -> None:
    wrong = {"username": "eva", "password": "not her password"}
    vietnamese = anonymous.post("/admin/login", data=wrong)
    assert vietnamese.status_code == 401
    assert '<p class="notice" role="alert">Sai tên đăng nhập hoặc mật khẩu.</p>' in vietnamese.text
    english = anonymous.post("/admin/login?ui=en", data=wrong)
    assert '<p class="notice" role="alert">Wrong username or password.</p>' in english.text
    # The JSON API keeps English for programs.
    api = anonymous.post("/api/admin/login", json=wrong)
    assert api.json() == {"detail": "Wrong username or password."}


def test_a_refusal_page_speaks_vietnamese(editor: StaffClient) -> None:
    page = editor.client.get("/admin/sites/nowhere")
    assert page.status_code == 404
    assert "Không có điểm nào mang mã nowhere." in page.text


def test_account_problems_are_told_in_the_admins_language(admin: StaffClient) -> None:
    data = {"username": "thu", "password": "short", "role": "editor", "csrf_token": admin.csrf}
    page = admin.client.post("/admin/staff?ui=vi", data=data)
    assert page.status_code == 422
    assert "Mật khẩu có 5 ký tự; hãy dùng ít nhất 12." in page.text


def test_a_decimal_comma_and_thousands_are_read_as_numbers(editor: StaffClient) -> None:
    fields = replace(_form(editor, "vi", "vi"), "location.lat", "13,7869")
    fields = replace(fields, "location.lon", " 109,2196 ")
    fields = replace(fields, "tickets.prices.0.amount", "30.000")
    assert _save(editor, fields, "vi", "vi") == ""
    site = _get(editor.client)[1]
    assert site["location"] == {"lat": 13.7869, "lon": 109.2196}
    assert site["tickets"]["prices"][0]["amount"] == 30000


@pytest.mark.parametrize(
    ("ui", "latitude", "closing"),
    [
        (
            "vi",
            "Vĩ độ phải là một số, ví dụ 13.7869.",
            "Giờ mở cửa · Khung giờ 1 · Đóng phải là giờ dạng 07:30 (giờ:phút, 24 giờ).",
        ),
        (
            "en",
            "Latitude must be a number, for example 13.7869.",
            "Opening hours · Period 1 · Closes must be a time such as 07:30 "
            "(hours:minutes, 24-hour clock).",
        ),
    ],
)
def test_form_problems_are_said_in_words(
    editor: StaffClient, ui: str, latitude: str, closing: str
) -> None:
    fields = replace(_form(editor, "vi", ui), "location.lat", "mười ba")
    fields = replace(fields, "opening_hours.periods.0.closes", "5pm")
    html = _save(editor, fields, "vi", ui)
    summary = re.search(r'<section class="card problems".*?</section>', html, re.S)
    assert summary is not None
    assert f"<li>{latitude}</li>" in summary[0] and f"<li>{closing}</li>" in summary[0]
    assert f'<span class="error" role="alert">{latitude}</span>' in html
    for jargon in ("Input should", "location.lat", "String should match", "<code>"):
        assert jargon not in summary[0], jargon


def test_a_whole_site_rule_is_said_in_vietnamese(editor: StaffClient) -> None:
    fields = replace(_form(editor, "vi", "vi"), "opening_hours.status", "unknown")
    html = _save(editor, fields, "vi", "vi")
    assert "Giờ mở cửa chỉ nhập khung giờ khi chọn “Theo giờ cố định”" in html


def test_revisions_name_fields_as_the_form_does_and_mark_the_changed_words(
    editor: StaffClient,
) -> None:
    fields = replace(_form(editor, "en", "en"), "description.en", "A tall tower for tests.")
    fields = replace(fields, "tickets.prices.0.amount", "25000")
    assert _save(editor, fields, "en", "en") == ""
    vietnamese = editor.client.get("/admin/sites/test-tower/revisions?ui=vi").text
    assert "Phiên bản 2 · Sửa" in vietnamese
    assert '<th scope="row">Mô tả ngắn (English)</th>' in vietnamese
    assert '<th scope="row">Vé · Giá</th>' in vietnamese
    assert "A <mark>tall</mark> tower for tests." in vietnamese
    assert "Người lớn: <mark>20000</mark>" in vietnamese
    assert "Người lớn: <mark>25000</mark>" in vietnamese
    for jargon in ("description.en", "{&#39;", "'text':", "origin"):
        assert jargon not in vietnamese, jargon
    english = editor.client.get("/admin/sites/test-tower/revisions?ui=en").text
    assert '<th scope="row">Tickets · Prices</th>' in english
    assert "Revision 1 · Created" in english


@pytest.fixture
def asked(settings: Settings) -> ActivityLog:
    """One question asked three times, another twice in two languages, and 24 others."""
    engine = make_engine(settings.database_url)
    log = ActivityLog(Database(engine))
    for sender in ("v1", "v2", "v3"):
        log.record_unanswered("Có tour đêm không?", "vi", Unanswered.FALLBACK, sender, "test-tower")
    log.record_unanswered("Is there parking?", "en", Unanswered.OUT_OF_SCOPE, "v4")
    log.record_unanswered("Is there parking?", "en", Unanswered.OUT_OF_SCOPE, "v5")
    for number in range(24):
        log.record_unanswered(f"Question {number}?", "ko", Unanswered.FALLBACK, f"k{number}")
    # A known moment: 2026-03-01 17:30 UTC is 2026-03-02 00:30 in Vietnam.
    with engine.begin() as connection:
        connection.execute(
            update(UnansweredQuestionRow)
            .where(UnansweredQuestionRow.text == "Có tour đêm không?")
            .values(asked_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
        )
    return log


def _row(html: str, question: str) -> str:
    found = re.search(
        rf"<tr>\s*<td class=\"question\"[^>]*>{re.escape(question)}</td>(.*?)</tr>", html, re.S
    )
    assert found, question
    return found[1]


def test_questions_are_grouped_counted_and_in_vietnams_time(
    editor: StaffClient, asked: ActivityLog
) -> None:
    html = editor.client.get("/admin/reports?ui=vi").text
    night = _row(html, "Có tour đêm không?")
    assert '<td data-label="Số lần hỏi" class="count">3</td>' in night
    assert "<time>2026-03-02 00:30</time>" in night
    assert '<td data-label="Ngôn ngữ">Tiếng Việt</td>' in night
    assert 'href="/admin/sites/test-tower"' in night
    parking = _row(html, "Is there parking?")
    assert 'class="count">2</td>' in parking and ">English</td>" in parking
    assert html.count('<td class="question"') == 20  # a page of 20 groups of 26
    assert "Trang 1/2" in html and 'href="/admin/reports?days=30&amp;lang=&amp;page=2"' in html
    second = editor.client.get("/admin/reports?ui=vi&page=2").text
    assert second.count('<td class="question"') == 6 and "Trang 2/2" in second


def test_mark_handled_beside_a_question_handles_every_time_it_was_asked(
    editor: StaffClient, asked: ActivityLog
) -> None:
    row = _row(editor.client.get("/admin/reports?ui=en").text, "Is there parking?")
    ids = re.findall(r'name="question" value="(\d+)"', row)
    assert len(ids) == 2 and "Mark handled</button>" in row
    response = editor.client.post(
        "/admin/reports/handled", data={"question": ids, "csrf_token": editor.csrf}
    )
    assert response.status_code == 303
    html = editor.client.get("/admin/reports?ui=en").text
    assert "Is there parking?" not in html
    handled = editor.client.get("/admin/reports?ui=en&include_handled=true").text
    assert '<span class="badge job-done">Handled</span>' in _row(handled, "Is there parking?")


def test_archiving_asks_first(editor: StaffClient) -> None:
    page = editor.client.get("/admin/sites/test-tower?ui=vi").text
    assert 'action="/admin/sites/test-tower/archive"' not in page
    assert 'href="/admin/sites/test-tower?lang=vi&amp;confirm=archive#archive-title"' in page
    asking = editor.client.get("/admin/sites/test-tower?lang=vi&ui=vi&confirm=archive").text
    assert "Bạn có chắc muốn xóa “Tháp Thử Nghiệm” khỏi hướng dẫn?" in asking
    confirm = re.search(
        r'<form method="post" action="/admin/sites/test-tower/archive".*?</form>', asking, re.S
    )
    assert confirm and "Có, xóa (lưu trữ) điểm này" in confirm[0]
    assert 'href="/admin/sites/test-tower?lang=vi" class="cancel">Không, giữ lại</a>' in confirm[0]
    assert editor.client.get("/s/test-tower/en").status_code == 200  # asking archived nothing


def test_the_site_list_says_what_each_site_still_lacks(editor: StaffClient) -> None:
    html = editor.client.get("/admin?ui=en").text
    museum = re.search(r'href="/admin/sites/test-museum".*?</tr>', html, re.S)
    assert museum is not None
    lacks = re.search(r'<td class="gaps"[^>]*><ul>(.*?)</ul>', museum[0], re.S)
    assert lacks is not None
    assert re.findall(r"<li>(.*?)</li>", lacks[1]) == [
        "No description or narration in: 简体中文, 한국어, 日本語, Français, Русский, Deutsch",
        "1 machine text(s) to review",
        "No narration audio yet",
    ]
    vietnamese = editor.client.get("/admin?ui=vi").text
    assert "<li>1 bản dịch máy cần người duyệt</li>" in vietnamese


def test_the_site_list_names_unknown_hours_and_tickets(editor: StaffClient) -> None:
    fields = replace(_form(editor, "vi", "en"), "opening_hours.status", "unknown")
    fields = [(name, value) for name, value in fields if ".periods." not in name]
    fields = replace(fields, "opening_hours.note", "Hỏi ban quản lý di tích.")
    assert _save(editor, fields, "vi", "en") == ""
    html = editor.client.get("/admin?ui=vi").text
    tower = re.search(r'href="/admin/sites/test-tower".*?</tr>', html, re.S)
    assert tower and "<li>Giờ mở cửa chưa rõ</li>" in tower[0]


def test_the_preview_shows_the_short_description(editor: StaffClient) -> None:
    fields = replace(_form(editor, "en", "en"), "description.en", "A brand new summary.")
    response = editor.client.post(
        "/admin/sites/test-tower/preview?lang=en&ui=en", data=as_data(fields)
    )
    assert response.status_code == 200
    assert '<p class="summary" lang="en">A brand new summary.</p>' in response.text
