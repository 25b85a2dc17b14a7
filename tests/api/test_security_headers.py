"""Security headers (OWASP ASVS L1 V14.4) on every response, pages and refusals alike."""

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

PUBLIC = ["/", "/s/test-tower?lang=en", "/map?lang=en", "/api/sites", "/widget.js", "/healthz"]
PUBLIC += ["/static/guide.css", "/api/sites/no-such-site", "/qr/test-tower.svg"]
STAFF = ["/admin/login", "/admin", "/api/admin/me", "/api/admin/sites"]
PAGES = ["/", "/s/test-tower?lang=en", "/map?lang=en", "/admin/login", "/docs"]


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("path", PUBLIC + STAFF)
def test_every_response_says_nosniff_and_a_referrer_policy(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_refusals_carry_them_too(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"x" * 100_000)
    assert response.status_code == 413
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", STAFF)
def test_staff_responses_are_never_stored(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/api/sites", "/s/test-tower", "/administrator"])
def test_public_responses_keep_their_caching(client: TestClient, path: str) -> None:
    assert client.get(path).headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_allows_only_its_own_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response.headers["Content-Security-Policy"])
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.DOTALL)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in inline
    ]
    assert policy["script-src"][0] == "'self'"
    assert sorted(policy["script-src"][1:]) == sorted(hashes)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    framing = "'none'" if path.startswith("/admin") else "'self'"
    assert policy["frame-ancestors"] == [framing]
    assert policy["base-uri"] == ["'none'"]


def test_the_map_has_inline_scripts_each_allowed_by_its_hash(client: TestClient) -> None:
    policy = _policy(client.get("/map?lang=en").headers["Content-Security-Policy"])
    assert len(policy["script-src"]) > 1
    assert "https://tile.openstreetmap.org" in policy["img-src"]


def test_json_and_scripts_have_no_page_policy(client: TestClient) -> None:
    assert "Content-Security-Policy" not in client.get("/api/sites").headers
    assert "Content-Security-Policy" not in client.get("/widget.js").headers
