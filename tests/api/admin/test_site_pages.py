"""The staff pages of a site: the form per language, saving, errors, stale edits, preview."""

import re

import pytest
from fastapi.testclient import TestClient

from sites_data.schema import Site
from tests.api.admin.factories import StaffClient
from tests.api.admin.forms import Fields, as_data, form_fields, replace
from tests.api.admin.test_site_api import _get, _put
from tests.factories import human_texts


def _form(staff: StaffClient, key: str = "test-tower", lang: str = "vi") -> Fields:
    page = staff.client.get(f"/admin/sites/{key}?lang={lang}&ui=en")
    assert page.status_code == 200
    return form_fields(page.text, "site-form")


def _save(staff: StaffClient, fields: Fields, key: str = "test-tower", lang: str = "vi") -> object:
    return staff.client.post(f"/admin/sites/{key}/save?lang={lang}", data=as_data(fields))


def _field(fields: Fields, name: str) -> str:
    return next(value for field, value in fields if field == name)


def test_the_form_holds_every_field_of_a_site_for_one_language(editor: StaffClient) -> None:
    fields = _form(editor, "test-tower", "fr")
    names = {name for name, _ in fields}
    # Getting there is shown, not edited, on the form (its journeys come with their sources);
    # a site's area ("you are here") is edited in its site file and kept by the form; photos
    # have forms of their own (tests/api/admin/test_photos.py).
    for shared in set(Site.model_fields) - {"key", "getting_there", "area", "photos"}:
        assert any(name == shared or name.startswith(f"{shared}.") for name in names), shared
    assert {"names.fr", "aliases.fr", "address.fr", "description.fr", "narration.fr"} <= names
    assert not any(name.endswith(".en") for name in names if name.split(".")[0] == "names")
    assert _field(fields, "names.fr") == "Tour d'essai"
    assert _field(fields, "tickets.prices.0.amount") == "20000"
    assert _field(fields, "opening_hours.periods.0.days") == "mon"
    assert {"csrf_token", "based_on"} <= names


@pytest.mark.parametrize("lang", ["vi", "en", "fr", "ja"])
@pytest.mark.parametrize("key", ["test-tower", "test-museum", "far-away"])
def test_an_unchanged_form_saves_nothing(editor: StaffClient, key: str, lang: str) -> None:
    response = _save(editor, _form(editor, key, lang), key, lang)
    assert response.status_code == 303
    assert _get(editor.client, key)[0] == 1


def test_saving_one_field_changes_only_that_field(editor: StaffClient) -> None:
    fields = replace(_form(editor, lang="fr"), "names.fr", "Tour d'essai rénovée")
    response = _save(editor, fields, lang="fr")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/sites/test-tower?lang=fr&saved=1"
    page = editor.client.get(response.headers["location"] + "&ui=en")
    assert "Saved as revision 2." in page.text
    changes = editor.client.get("/api/admin/sites/test-tower/revisions").json()[-1]["changes"]
    assert changes == [
        {"field": "names.fr", "before": "Tour d'essai", "after": "Tour d'essai rénovée"}
    ]


def test_new_rows_and_new_language_text(editor: StaffClient) -> None:
    fields = _form(editor, lang="fr")
    fields = replace(fields, "description.fr", "Une tour pour les essais.")
    fields = replace(fields, "tickets.prices.1.audience", "child")
    fields = replace(fields, "tickets.prices.1.amount", "10000")
    fields += [("opening_hours.periods.1.days", "sat"), ("opening_hours.periods.1.days", "sun")]
    fields = replace(fields, "opening_hours.periods.1.opens", "08:00")
    fields = replace(fields, "opening_hours.periods.1.closes", "12:00")
    fields = replace(fields, "notes", "First note.\r\nSecond note.")
    fields = [(name, value) for name, value in fields if (name, value) != ("related", "far-away")]
    assert _save(editor, fields, lang="fr").status_code == 303
    site = _get(editor.client)[1]
    assert site["description"]["fr"] == {"text": "Une tour pour les essais.", "origin": "human"}
    assert site["tickets"]["prices"][1] == {"audience": "child", "amount": 10000, "note": {}}
    assert site["opening_hours"]["periods"][1] == {
        "days": ["sat", "sun"],
        "opens": "08:00",
        "closes": "12:00",
    }
    assert site["notes"]["fr"] == human_texts(fr="First note.\nSecond note.")["fr"]
    assert site["related"] == ["test-museum"]


def _error_next_to(html: str, field: str) -> str:
    """The error shown with the input of ``field``: after it, before the next line of the form."""
    start = html.index(f'name="{field}"')
    line = re.split(r"<p>|<div|</fieldset>", html[start:], maxsplit=1)[0]
    match = re.search(r'<span class="error" role="alert">([^<]+)', line)
    assert match, f"no error next to {field}"
    return match[1]


def test_errors_are_shown_next_to_their_field_and_nothing_is_saved(editor: StaffClient) -> None:
    fields = _form(editor)
    fields = replace(fields, "tickets.prices.0.amount", "twenty thousand")
    fields = replace(fields, "location.lat", "")
    fields = replace(fields, "opening_hours.periods.0.closes", "25:00")
    fields = replace(fields, "names.vi", "Tháp Mới Tên")
    response = _save(editor, fields)
    assert response.status_code == 422
    html = response.text
    assert "Not saved — fix these fields" in html or "Chưa lưu" in html
    amount = _error_next_to(html, "tickets.prices.0.amount")
    assert amount == "Tickets · Price 1 · Amount must be a whole number, for example 30000."
    assert _error_next_to(html, "location.lat") == "Latitude must be a number, for example 13.7869."
    assert "Input should be" not in html and "location.lat:" not in html
    assert "25:00" in html  # what the person typed is kept for them to fix
    assert 'value="Tháp Mới Tên"' in html
    assert _get(editor.client)[0] == 1


def test_a_whole_site_rule_is_shown_at_its_field(editor: StaffClient) -> None:
    fields = replace(_form(editor, lang="en"), "narration.en", "Far too short.")
    response = editor.client.post(
        "/admin/sites/test-tower/save?lang=en&ui=en", data=as_data(fields)
    )
    assert response.status_code == 422
    assert _error_next_to(response.text, "narration.en") == (
        "Narration script (English) has 3 words; a narration needs 150 to 400."
    )


def test_a_stale_edit_shows_both_versions_and_keeps_both_changes(
    editor: StaffClient, admin: StaffClient
) -> None:
    mine = replace(_form(editor, lang="fr"), "names.fr", "Ma tour")
    revision, document = _get(admin.client)
    document["notes"] = human_texts(fr="Fermé pour travaux en mars.")
    document["names"]["fr"] = "Leur tour"
    assert _put(admin, document, revision).status_code == 200

    response = editor.client.post("/admin/sites/test-tower/save?lang=fr&ui=en", data=as_data(mine))
    assert response.status_code == 409
    html = response.text
    assert "Someone saved before you" in html and "Nothing of yours was saved" in html
    row = re.search(r'<tr class="both-changed">(.*?)</tr>', html, re.S)
    assert row and "Name (Français)" in row[1] and "Ma tour" in row[1] and "Leur tour" in row[1]
    again = form_fields(html, "site-form")
    assert _field(again, "based_on") == "2"
    assert _field(again, "names.fr") == "Ma tour"
    assert _field(again, "notes") == "Fermé pour travaux en mars."
    assert _get(editor.client)[1]["names"]["fr"] == "Leur tour"

    assert _save(editor, again, lang="fr").status_code == 303
    site = _get(editor.client)[1]
    assert site["names"]["fr"] == "Ma tour"
    assert site["notes"] == human_texts(fr="Fermé pour travaux en mars.")


def test_preview_shows_the_public_page_with_unsaved_content(editor: StaffClient) -> None:
    fields = replace(_form(editor, lang="en"), "names.en", "Preview <b>Tower</b>")
    response = editor.client.post(
        "/admin/sites/test-tower/preview?lang=en&ui=en", data=as_data(fields)
    )
    assert response.status_code == 200
    assert "Preview: this content is not saved." in response.text
    assert "<h1>Preview &lt;b&gt;Tower&lt;/b&gt;</h1>" in response.text
    assert '<html lang="en">' in response.text
    assert _get(editor.client)[0] == 1


def test_revisions_show_the_diff_and_restore_the_old_content(editor: StaffClient) -> None:
    fields = replace(_form(editor, lang="en"), "names.en", "Renamed Tower")
    assert _save(editor, fields, lang="en").status_code == 303
    page = editor.client.get("/admin/sites/test-tower/revisions?ui=en")
    assert page.status_code == 200
    html = page.text
    assert "Revision 2 · Edited" in html and "eva · " in html
    row = '<th scope="row">Name (English)</th>'
    before = '<td class="before"><span class="label">Before</span><mark>Test</mark> Tower</td>'
    after = '<td class="after"><span class="label">After</span><mark>Renamed</mark> Tower</td>'
    assert row + "\n      " + before + "\n      " + after in html
    assert '<input type="hidden" name="number" value="1">' in html
    response = editor.client.post(
        "/admin/sites/test-tower/restore",
        data={"based_on": "2", "number": "1", "csrf_token": editor.csrf},
    )
    assert response.status_code == 303
    assert _get(editor.client)[1]["names"]["en"] == "Test Tower"


def test_archive_and_bring_back_from_the_page(editor: StaffClient) -> None:
    page = editor.client.get("/admin/sites/test-tower?ui=en").text
    assert 'href="/qr/test-tower/poster.pdf"' in page and "Delete (archive)" in page
    response = editor.client.post(
        "/admin/sites/test-tower/archive", data={"based_on": "1", "csrf_token": editor.csrf}
    )
    assert response.status_code == 303
    assert editor.client.get("/s/test-tower/en").status_code == 404
    page = editor.client.get("/admin/sites/test-tower?ui=en").text
    assert "Bring back" in page and "poster.pdf" not in page
    assert "Archived" in editor.client.get("/admin?ui=en&visibility=archived").text


def test_badges_and_mark_reviewed(editor: StaffClient) -> None:
    page = editor.client.get("/admin/sites/test-museum?lang=fr&ui=en").text
    assert '<span class="badge origin-machine">Machine translation · opus-mt-en-fr</span>' in page
    assert '<span class="badge origin-human">Written by a person</span>' in page
    assert '<span class="badge origin-missing">Missing</span>' in page
    response = editor.client.post(
        "/admin/sites/test-museum/reviewed",
        data={"based_on": "1", "field": "description", "lang": "fr", "csrf_token": editor.csrf},
    )
    assert response.status_code == 303
    page = editor.client.get("/admin/sites/test-museum?lang=fr&ui=en").text
    assert '<span class="badge origin-reviewed">Reviewed · opus-mt-en-fr</span>' in page
    assert "Mark reviewed" not in page


def test_the_site_list_searches_and_filters(editor: StaffClient) -> None:
    def listed(query: str) -> list[str]:
        html = editor.client.get(f"/admin?ui=en&{query}").text
        return re.findall(r'<a href="/admin/sites/([a-z-]+)">', html)

    assert listed("") == ["far-away", "test-museum", "test-tower"]
    assert listed("q=bao+tang") == ["test-museum"]
    assert listed("category=museum") == ["test-museum"]
    assert listed("former_province=Ninh+Thu%E1%BA%ADn") == ["far-away"]
    assert listed("needs_review=true") == ["test-museum"]
    assert "1 machine text(s)" in editor.client.get("/admin?ui=en").text


def test_an_unknown_site_is_a_404_page_and_an_unknown_language_a_422(
    editor: StaffClient,
) -> None:
    assert editor.client.get("/admin/sites/atlantis").status_code == 404
    response = editor.client.get("/admin/sites/test-tower?lang=xx&ui=en")
    assert response.status_code == 422 and "Unknown language xx; use one of vi, en" in response.text


def test_the_pages_speak_vietnamese_by_default(editor: StaffClient) -> None:
    client: TestClient = editor.client
    assert "Điểm di sản" in client.get("/admin").text
    assert "Sites" in client.get("/admin?ui=en").text
    assert "Sites" in client.get("/admin").text  # the choice is remembered


def test_staff_pages_are_neither_cached_nor_framed(editor: StaffClient) -> None:
    headers = editor.client.get("/admin/sites/test-tower").headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"].split("; ")
