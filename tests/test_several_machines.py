"""The several-machine shape on one machine, from the project's own commands: a throwaway
PostgreSQL (the knowledge base of every process, and Rasa's conversations) and Redis (the
job queue and Rasa's lock store); two `guide serve` processes with nginx from
`guide deploy nginx --upstream A,B` in front of them; two Rasa servers (`guide bot rasa`),
each with its action server (`guide bot actions`), both listed in the guide's
GUIDE_RASA_URL; two job workers (`guide narration worker`).

It shows that a conversation through nginx goes on when the Rasa server serving it is
killed, that a staff edit through one guide process is served by the other within a second,
that each queued job runs once with two workers, and that audio comes from nginx with Range.
"""

import os
import re
import shutil
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.routes.chat import servers_in_turn
from bench import servers
from bot.cli import MODELS_DIR, RASA
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.job_engine import open_job_engine
from sites_data.jobs import JobKind, JobQueue, JobRow, JobStatus, RetryPolicy
from sites_data.languages import LANGUAGE_CODES
from sites_data.store import SiteStore
from tests.api.admin.factories import PASSWORDS, make_staff
from tests.bot.test_conversations_survive import CHAT_TIMEOUT_S, TICKETS

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = "po-klong-garai"  # the assistant's example


@dataclass
class Shape:
    nginx_url: str
    guide_urls: list[str]
    rasa: list[servers.Server]
    rasa_urls: list[str]
    workers: list[servers.Server]
    database_url: str
    jobs_url: str
    audio_dir: Path

    def database(self) -> Database:
        return Database(make_engine(self.database_url))


def _database(server: str, name: str) -> str:
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + f"/{name}"


def _knowledge_base(database_url: str) -> None:
    """One site (narration is built for every site in every language) and staff accounts."""
    engine = make_engine(database_url)
    upgrade(engine)
    SiteStore(Database(engine)).load([site for site in read_site_files() if site.key == SITE])
    make_staff(database_url)
    engine.dispose()


def _start_nginx(
    root: Path, listen: str, upstreams: list[str], env: dict[str, str]
) -> servers.Server:
    prefix = root / "nginx"
    user = ["--user", "root"] if os.geteuid() == 0 else []  # pytest's folders are 0700
    deploy = [str(servers.GUIDE), "deploy", "nginx", "--listen", listen]
    deploy += ["--upstream", ",".join(upstreams), "--prefix", str(prefix), *user]
    subprocess.run(deploy, cwd=root, env=env, check=True, capture_output=True)
    config = str(prefix / "guide-nginx.conf")
    return servers.Server(
        subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", config, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
        f"http://{listen}/healthz",
        prefix / "logs" / "error.log",
    )


@pytest.fixture(scope="module")
def shape(
    postgres_server: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shape]:
    if not RASA.exists() or not any(MODELS_DIR.glob("*.tar.gz")):
        pytest.fail("Rasa or its trained model is missing: run `make setup`")
    assert Path(NGINX).exists(), "nginx is needed: apt-get install nginx-light (make setup)"
    root = tmp_path_factory.mktemp("machines")
    audio_dir = root / "audio"
    suffix = uuid.uuid4().hex[:8]
    database_url = _database(postgres_server, f"guide_{suffix}")
    tracker_url = _database(postgres_server, f"rasa_{suffix}")
    tracker_url = tracker_url.replace("postgresql+psycopg://", "postgresql://")
    redis = redis_server.rsplit("/", 1)[0]
    jobs_url, lock_store_url = f"{redis}/2", f"{redis}/3"
    open_job_engine(jobs_url).flush()
    started: list[servers.Server] = []
    try:
        # The Rasa servers first, in parallel: they take the longest to start.
        assistants = [
            servers.Assistant(database_url, root, tracker_url, lock_store_url) for _ in range(2)
        ]
        rasa = [
            assistant.start_rasa(f"rasa-{number}.log")
            for number, assistant in enumerate(assistants)
        ]
        started += rasa
        _knowledge_base(database_url)
        for number, assistant in enumerate(assistants):
            started.append(assistant.start_actions(f"actions-{number}.log"))
        rasa_urls = [assistant.rasa_url for assistant in assistants]
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "GUIDE_DATABASE_URL": database_url,
            "GUIDE_JOBS_URL": jobs_url,
            "GUIDE_AUDIO_DIR": str(audio_dir),
            "GUIDE_CACHE_DIR": str(root / "cache"),
            "GUIDE_PHOTO_DIR": str(root / "photos"),
            "GUIDE_RASA_URL": ",".join(rasa_urls),
            "GUIDE_CHAT_TIMEOUT_S": str(CHAT_TIMEOUT_S),
            "GUIDE_TRUSTED_PROXIES": "127.0.0.1",
            "GUIDE_ACCESS_LOG": "false",
        }
        guide_urls = [servers.local_url() for _ in range(2)]
        guides = []
        for number, url in enumerate(guide_urls):
            log = root / f"guide-{number}.log"
            serve = ["serve", "--port", url.rsplit(":", 1)[1]]
            guides.append(servers.Server(servers.start(serve, env, log), f"{url}/healthz", log))
        started += guides
        # The site's narration in every language, built while Rasa loads, so that the
        # workers start with nothing missing to queue and the test's jobs reuse it.
        build = root / "build.log"
        with build.open("wb") as output:
            command = [str(servers.GUIDE), "narration", "build"]
            subprocess.run(command, env=env, stdout=output, stderr=output)
        assert "0 failed" in build.read_text(), build.read_text()
        workers = []
        for number in range(2):
            log = root / f"worker-{number}.log"
            command = ["narration", "worker", "--poll-seconds", "0.5"]
            workers.append(servers.Server(servers.start(command, env, log), "", log))
        started += workers
        for guide in guides:
            guide.wait_until_up()
        listen = f"127.0.0.1:{servers.free_port()}"
        upstreams = [url.removeprefix("http://") for url in guide_urls]
        nginx = _start_nginx(root, listen, upstreams, env)
        started.append(nginx)
        nginx.wait_until_up()
        for server in started:
            if server.health_url:
                server.wait_until_up()
        yield Shape(
            f"http://{listen}",
            guide_urls,
            rasa,
            rasa_urls,
            workers,
            database_url,
            jobs_url,
            audio_dir,
        )
    finally:
        for server in reversed(started):
            server.stop()


def _answer(client: httpx.Client, sender: str, message: str) -> str:
    response = client.post("/api/chat", json={"sender": sender, "message": message, "lang": "en"})
    assert response.status_code == 200, response.text
    return "\n".join(item["text"] for item in response.json()["messages"])


def test_a_conversation_through_nginx_goes_on_when_its_rasa_server_is_killed(
    shape: Shape,
) -> None:
    with httpx.Client(base_url=shape.nginx_url, timeout=CHAT_TIMEOUT_S + 10) as client:
        expected = _answer(client, "someone else", TICKETS)
        assert "Po Klong Garai" in expected
        # A conversation the second Rasa server serves (the proxy chooses from the sender).
        sender = next(
            name
            for name in (f"visitor {number}" for number in range(100))
            if servers_in_turn(shape.rasa_urls, name)[0] == shape.rasa_urls[1]
        )
        assert "Po Klong Garai" in _answer(client, sender, "Tell me about Po Klong Garai")
        shape.rasa[1].kill()
        assert _answer(client, sender, "and the ticket?") == expected


def test_a_staff_edit_through_one_guide_is_served_by_the_other_within_a_second(
    shape: Shape,
) -> None:
    first, second = shape.guide_urls
    with (
        httpx.Client(base_url=first, timeout=10) as staff,
        httpx.Client(base_url=second, timeout=10) as other,
    ):
        assert "Renommé sur A" not in other.get("/s/po-klong-garai/fr").text  # kept by B
        login = staff.post(
            "/api/admin/login", json={"username": "eva", "password": PASSWORDS["eva"]}
        )
        assert login.status_code == 200, login.text
        current = staff.get("/api/admin/sites/po-klong-garai")
        document = current.json()["site"]
        document["names"]["fr"] = "Renommé sur A"
        headers = {"X-CSRF-Token": login.json()["csrf_token"], "If-Match": current.headers["etag"]}
        saved = staff.put("/api/admin/sites/po-klong-garai", json=document, headers=headers)
        assert saved.status_code == 200, saved.text
        answered = time.monotonic()
        # B reads the content's revision at most once a second: a second after A answered,
        # whatever B read before the save is out of date.
        time.sleep(max(0.0, answered + 1.0 - time.monotonic()))
        page = other.get("/s/po-klong-garai/fr")
        assert page.status_code == 200 and "Renommé sur A" in page.text
        assert other.get("/api/sites/po-klong-garai?lang=fr").json()["name"] == "Renommé sur A"


def test_each_queued_job_runs_once_with_two_workers(shape: Shape) -> None:
    database = shape.database()
    queue = JobQueue(database, open_job_engine(shape.jobs_url), RetryPolicy())
    jobs = [queue.enqueue(JobKind.NARRATION, SITE, lang, "eva") for lang in LANGUAGE_CODES]
    assert len({job.id for job in jobs}) == len(jobs)
    deadline = time.monotonic() + 120
    while any(queue.get(job.id).status != JobStatus.DONE for job in jobs):
        assert time.monotonic() < deadline, [queue.get(job.id) for job in jobs]
        time.sleep(0.2)
    for worker in shape.workers:
        assert worker.process.poll() is None and "waiting for jobs" in worker.log.read_text()
    names = {f"{worker.process.pid}" for worker in shape.workers}
    with Session(database.engine) as session:
        rows = session.scalars(select(JobRow)).all()
    # Every job in the queue (and any the workers queued on start): done, at the first try.
    assert {(row.status, row.attempts) for row in rows} == {(JobStatus.DONE.value, 1)}
    assert {str(row.worker).rsplit(":", 1)[1] for row in rows} <= names
    database.engine.dispose()
    # Each worker says what it built once the job's row is done: wait for the last lines.
    deadline = time.monotonic() + 10
    while not {row.id for row in rows} <= (built := _built(shape.workers)).keys():
        assert time.monotonic() < deadline, built
        time.sleep(0.1)
    assert built == Counter({row.id: 1 for row in rows})


def _built(workers: list[servers.Server]) -> Counter[int]:
    """How many times each job was built, from the workers' own lines ("built: …, job N")."""
    return Counter(
        int(match)
        for worker in workers
        for match in re.findall(r"^built: .*, job (\d+)$", worker.log.read_text(), re.M)
    )


def test_audio_comes_from_nginx_with_range(shape: Shape) -> None:
    with httpx.Client(base_url=shape.nginx_url, timeout=10) as client:
        url = client.get("/api/sites/po-klong-garai/narration/en").json()["url"]
        digest = url.rsplit("/", 1)[1].removesuffix(".mp3")
        on_disk = (shape.audio_dir / digest[:2] / f"{digest}.mp3").read_bytes()
        part = client.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1099/{len(on_disk)}"
        assert part.content == on_disk[100:1100]
        assert part.headers["content-type"] == "audio/mpeg"
        # nginx's own answer, from disk: not passed to the guide (whose ETag is the digest).
        assert "x-cache-status" not in part.headers and digest not in part.headers["etag"]
