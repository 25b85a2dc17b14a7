"""`guide deploy nginx` run by Debian's nginx in front of a real `guide serve --workers 2`.

The client talks to nginx from 127.0.0.2 (any 127/8 address is this machine), so the address
the guide records tells nginx's connection (127.0.0.1) from the visitor's.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.staff.audit import Action, AuditLog
from sites_data.db import Database, make_engine
from tests.api.admin.factories import make_staff
from tests.conftest import NarratedGuide

ROOT = Path(__file__).resolve().parents[2]
GUIDE = str(Path(sys.executable).with_name("guide"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VISITOR = "127.0.0.2"
# Two workers each import the guide and load the language detector, on a shared machine.
STARTUP_S = 120


@dataclass(frozen=True)
class Deployment:
    url: str
    guide: NarratedGuide
    prefix: Path

    def client(self) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=VISITOR)
        return httpx.Client(base_url=self.url, transport=transport, timeout=10)


PHOTO_ID = "0123456789abcdef" * 2
PHOTO_BYTES = b"RIFF\x00\x00\x00\x00WEBP a photo's bytes as they lie on disk"


def _photo_folder(root: Path) -> Path:
    """A photo folder with one size of one photo (nginx reads files, not images)."""
    folder = root / "photos"
    (folder / PHOTO_ID).mkdir(parents=True)
    (folder / PHOTO_ID / "320.webp").write_bytes(PHOTO_BYTES)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args!r} stopped:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {STARTUP_S} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def deployment(
    narrated_guide: NarratedGuide, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    assert Path(NGINX).exists(), "nginx is needed: apt-get install nginx-light (make setup)"
    root = tmp_path_factory.mktemp("deploy")
    make_staff(narrated_guide.database_url)
    guide_port, nginx_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GUIDE_DATABASE_URL": narrated_guide.database_url,
        "GUIDE_AUDIO_DIR": str(narrated_guide.audio_dir),
        "GUIDE_CACHE_DIR": str(root / "cache"),
        "GUIDE_PHOTO_DIR": str(_photo_folder(root)),
        "GUIDE_TRUSTED_PROXIES": "127.0.0.1",
        "GUIDE_ACCESS_LOG": "false",
    }
    guide_log = root / "guide.log"
    with guide_log.open("wb") as log:
        guide = subprocess.Popen(
            [GUIDE, "serve", "--port", str(guide_port), "--workers", "2"],
            cwd=root,  # no .env of the working copy
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    prefix = root / "nginx"
    nginx_log = prefix / "logs" / "error.log"
    nginx: subprocess.Popen[bytes] | None = None
    try:
        _wait_for(f"http://127.0.0.1:{guide_port}/healthz", guide, guide_log)
        user = ["--user", "root"] if os.geteuid() == 0 else []  # pytest's folders are 0700
        deploy = [GUIDE, "deploy", "nginx", "--listen", f"127.0.0.1:{nginx_port}"]
        deploy += ["--upstream", f"127.0.0.1:{guide_port}", "--prefix", str(prefix), *user]
        subprocess.run(deploy, cwd=root, env=env, check=True, capture_output=True)
        config = str(prefix / "guide-nginx.conf")
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(prefix), "-c", config], capture_output=True
        )
        assert checked.returncode == 0, checked.stderr.decode()
        nginx = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", config, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(f"http://127.0.0.1:{nginx_port}/healthz", nginx, nginx_log)
        yield Deployment(f"http://127.0.0.1:{nginx_port}", narrated_guide, prefix)
    finally:
        if nginx is not None:
            _stop(nginx)
        _stop(guide)


def test_the_written_configuration_passes_nginx_own_check(deployment: Deployment) -> None:
    config = (deployment.prefix / "guide-nginx.conf").read_text()
    assert f"pid {deployment.prefix}/nginx.pid;" in config
    assert "proxy_cache_path " + str(deployment.prefix / "cache") in config


def test_a_public_page_is_kept_by_nginx_and_revalidated(deployment: Deployment) -> None:
    with deployment.client() as client:
        first = client.get("/s/test-tower/en")
        second = client.get("/s/test-tower/en", headers={"Accept-Language": "ko"})
        assert first.status_code == second.status_code == 200
        assert first.headers["x-cache-status"] in ("MISS", "EXPIRED", "HIT", "UPDATING")
        assert second.headers["x-cache-status"] == "HIT"
        assert first.content == second.content and '<html lang="en">' in second.text
        assert second.headers["content-encoding"] == "gzip"
        plain = client.get("/s/test-tower/en", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.content == first.content
        held = client.get("/s/test-tower/en", headers={"If-None-Match": second.headers["etag"]})
        assert held.status_code == 304
        # The QR address chooses per visitor: never kept.
        german = client.get("/s/test-tower", headers={"Accept-Language": "de"})
        french = client.get("/s/test-tower", headers={"Accept-Language": "fr"})
        assert german.headers["location"] == "/s/test-tower/de"
        assert french.headers["location"] == "/s/test-tower/fr"


def test_audio_photos_and_static_files_come_from_disk_with_range(deployment: Deployment) -> None:
    with deployment.client() as client:
        url = client.get("/api/sites/test-tower/narration/en").json()["url"]
        digest = url.rsplit("/", 1)[1].removesuffix(".mp3")
        on_disk = (deployment.guide.audio_dir / digest[:2] / f"{digest}.mp3").read_bytes()
        part = client.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1099/{len(on_disk)}"
        assert part.content == on_disk[100:1100]
        assert part.headers["content-type"] == "audio/mpeg"
        assert part.headers["cache-control"] == "public, max-age=31536000, immutable"
        # nginx's own answer: not passed to the guide (whose ETag is the digest).
        assert "x-cache-status" not in part.headers and digest not in part.headers["etag"]
        page = client.get("/s/test-tower/en").text
        css = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        style = client.get(css)
        assert style.status_code == 200 and "x-cache-status" not in style.headers
        assert style.headers["cache-control"] == "public, max-age=31536000, immutable"
        photo = client.get(f"/photos/{PHOTO_ID}/320.webp")
        assert photo.status_code == 200 and photo.content == PHOTO_BYTES
        assert photo.headers["content-type"] == "image/webp"
        assert photo.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "x-cache-status" not in photo.headers


def test_staff_answers_are_never_kept_and_the_visitor_address_is_the_guide_s(
    deployment: Deployment,
) -> None:
    with deployment.client() as client:
        for _ in range(2):
            login = client.get("/admin/login")
            assert login.status_code == 200 and login.headers["cache-control"] == "no-store"
            assert "x-cache-status" not in login.headers
        refused = client.post(
            "/api/admin/login",
            json={"username": "eva", "password": "not-her-password"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert refused.status_code == 401
    audit = AuditLog(Database(make_engine(deployment.guide.database_url)))
    (entry,) = audit.entries(limit=1, action=Action.LOGIN_FAILED)
    assert entry.address == VISITOR


def test_a_wrong_address_is_refused_naming_the_option(tmp_path: Path) -> None:
    command = [GUIDE, "deploy", "nginx", "--listen", "everywhere", "--upstream", "127.0.0.1:8000"]
    command += ["--prefix", str(tmp_path / "nginx")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "--listen: 'everywhere' is not an address; write HOST:PORT" in result.stderr
    assert not (tmp_path / "nginx").exists()
