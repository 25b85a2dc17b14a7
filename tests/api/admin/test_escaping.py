"""HTML typed by staff is stored as text and shown escaped on every page that shows it."""

import pytest

from tests.api.admin.factories import StaffClient
from tests.api.admin.test_site_api import _get, _put

ATTACK = '</script><script>alert("owned")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_site(editor: StaffClient) -> StaffClient:
    revision, document = _get(editor.client)
    document["names"]["en"] = f"Tower {ATTACK}"
    document["names"]["vi"] = f"Tháp {ATTACK}"
    document["aliases"]["vi"] = [f"Thap {ATTACK}"]
    document["description"]["en"]["text"] = f"A tower. {ATTACK}"
    document["narration"]["en"]["text"] += f" {ATTACK}"
    response = _put(editor, document, revision)
    assert response.status_code == 200, response.text
    return editor


@pytest.mark.parametrize(
    "path",
    [
        "/s/test-tower/en",
        "/?lang=en",
        "/?lang=vi",
        "/map/en",
        "/admin",
        "/admin/sites/test-tower?lang=en",
        "/admin/sites/test-tower/revisions",
    ],
)
def test_no_page_lets_the_markup_through(hostile_site: StaffClient, path: str) -> None:
    html = hostile_site.client.get(path).text
    assert "alert" in html, "the page should show the site's text"
    assert '<script>alert("owned")' not in html
    assert "<img src=x onerror" not in html


def test_the_public_page_shows_it_as_text(hostile_site: StaffClient) -> None:
    html = hostile_site.client.get("/s/test-tower/en").text
    assert (
        "<h1>Tower &lt;/script&gt;&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;"
        "&lt;img src=x onerror=alert(1)&gt;</h1>" in html
    )
