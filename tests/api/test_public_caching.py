"""Public answers that caches may keep: canonical addresses, ETags, compression, fingerprints.

Raw headers are read with ``follow_redirects=False`` and, for compression, from the bytes
on the wire (httpx's ``num_bytes_downloaded``), not from the decoded text.
"""

import re
import time

from fastapi.testclient import TestClient

from sites_data.db import Database, make_engine
from sites_data.store import SiteStore

HTML = {"Accept": "text/html"}


def _canonical(client: TestClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 302, response.text
    assert response.headers["cache-control"] == "private, no-cache"
    assert "Accept-Language" in response.headers["vary"]
    return str(response.headers["location"])


def _rename(store: SiteStore, english_name: str) -> None:
    stored = store.get("test-tower")
    names = {**stored.site.names, "en": english_name}
    store.update(stored.site.model_copy(update={"names": names}), stored.revision, "editor")


def test_the_qr_address_leads_to_a_page_the_same_for_everyone(client: TestClient) -> None:
    assert _canonical(client, "/s/test-tower", **{"Accept-Language": "de"}) == "/s/test-tower/de"
    assert _canonical(client, "/s/test-tower") == "/s/test-tower/vi"
    client.cookies.set("guide_lang", "ja")
    assert _canonical(client, "/s/test-tower") == "/s/test-tower/ja"
    # Whoever asks, the canonical page is the same bytes under the same ETag.
    first = client.get("/s/test-tower/en", headers={"Accept-Language": "ko"})
    client.cookies.clear()
    second = client.get("/s/test-tower/en", headers={"Accept-Language": "fr"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and '<html lang="en">' in first.text
    assert first.headers["etag"] == second.headers["etag"]
    assert "set-cookie" not in first.headers
    cache_control = first.headers["cache-control"]
    assert cache_control.startswith("public,") and "s-maxage=60" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert first.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_page_held_is_not_sent_again(client: TestClient) -> None:
    page = client.get("/s/test-tower/en")
    etag = page.headers["etag"]
    held = client.get("/s/test-tower/en", headers={"If-None-Match": etag})
    assert held.status_code == 304 and held.content == b"" and held.headers["etag"] == etag
    # nginx marks the ETag weak when it compresses; it still names the same page.
    assert client.get("/s/test-tower/en", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get("/s/test-tower/en", headers={"If-None-Match": '"other"'}).status_code == 200


def test_text_is_compressed_for_clients_that_take_it(client: TestClient) -> None:
    for path in ("/s/test-tower/en", "/map/en", "/widget.js", "/static/guide.css"):
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        packed = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in plain.headers, path
        assert packed.headers["content-encoding"] == "gzip", path
        assert packed.content == plain.content, path
        assert packed.num_bytes_downloaded < plain.num_bytes_downloaded / 2, path


def test_a_change_to_the_content_drops_the_pages_kept(client: TestClient) -> None:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    before = client.get("/s/test-tower/en")
    _rename(store, "Renamed Tower")
    after = client.get("/s/test-tower/en")
    assert "Renamed Tower" in after.text and after.headers["etag"] != before.headers["etag"]
    assert (
        client.get(
            "/s/test-tower/en", headers={"If-None-Match": before.headers["etag"]}
        ).status_code
        == 200
    )


def test_another_processs_change_is_served_within_a_second(
    client: TestClient, database_file: str
) -> None:
    client.get("/s/test-tower/en")
    # Another guide process: the same database, a store this app does not hear from.
    _rename(SiteStore(Database(make_engine(database_file))), "Tower Seen Elsewhere")
    time.sleep(1.1)
    assert "Tower Seen Elsewhere" in client.get("/s/test-tower/en").text


def test_a_language_link_saves_the_choice_and_leads_to_its_page(client: TestClient) -> None:
    response = client.get("/s/test-tower/en?lang=ko", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/s/test-tower/ko"
    assert "guide_lang=ko" in response.headers["set-cookie"]
    wrong = client.get("/s/test-tower/xx", headers=HTML)
    assert wrong.status_code == 422 and "no-store" not in wrong.headers.get("cache-control", "")
    assert "public" not in wrong.headers.get("cache-control", "")
    assert client.get("/s/atlantis/en").status_code == 404


def test_the_map_and_the_site_json_have_canonical_addresses(client: TestClient) -> None:
    assert _canonical(client, "/map?lang=fr&site=test-tower") == "/map/fr?site=test-tower"
    shown = client.get("/map/fr?site=test-tower")
    plain = client.get("/map/fr")
    assert shown.headers["etag"] == plain.headers["etag"]
    assert shown.headers["cache-control"].startswith("public,")
    chosen = client.get("/api/sites/test-tower?lang=en")
    assert chosen.headers["cache-control"].startswith("public,") and chosen.json()["lang"] == "en"
    held = client.get(
        "/api/sites/test-tower?lang=en", headers={"If-None-Match": chosen.headers["etag"]}
    )
    assert held.status_code == 304
    guessed = client.get("/api/sites/test-tower", headers={"Accept-Language": "en"})
    assert guessed.headers["cache-control"] == "private, no-cache"
    assert guessed.headers["vary"].startswith("Accept-Language, Cookie")


def test_static_files_and_the_widget_carry_their_content_hash(client: TestClient) -> None:
    html = client.get("/s/test-tower/en").text
    (css,) = re.findall(r'href="(/static/guide\.[0-9a-f]{12}\.css)"', html)
    (widget,) = re.findall(r'src="(/widget\.[0-9a-f]{12}\.js)"', html)
    for url in (css, widget):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable", url
    assert client.get(css).content == client.get("/static/guide.css").content
    assert client.get("/static/guide.css").headers["cache-control"] == "public, max-age=3600"
    assert client.get("/static/guide.000000000000.css").status_code == 404
    assert client.get("/widget.000000000000.js").status_code == 404
    # The address other websites embed keeps working, revalidated.
    embedded = client.get("/widget.js")
    assert embedded.headers["cache-control"].startswith("public,")
    assert (
        client.get("/widget.js", headers={"If-None-Match": embedded.headers["etag"]}).status_code
        == 304
    )


def test_staff_answers_are_never_kept(client: TestClient) -> None:
    for path in ("/admin/login", "/api/admin/sites"):
        assert client.get(path).headers["cache-control"] == "no-store", path
