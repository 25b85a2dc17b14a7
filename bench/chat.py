"""Latency and throughput of POST /api/chat next to Rasa's own REST webhook.

Starts the action server, the Rasa server (trained model) and the guide on free ports,
with the shipped sites in a throwaway SQLite database, then sends the same
conversations through both doors at 1 and 8 concurrent conversations, alternating
rounds so that both see the same machine. Prints p50/p95 latency, throughput and the
overhead ratio of the guide's proxy (goal: at most 1.2x).

``--rasa-workers 2`` starts Rasa with two worker processes (GUIDE_RASA_WORKERS), sharing a
throwaway Redis as their lock store, as a machine with cores to spare would run it.

    .venv/bin/python -m bench.chat [--rounds 5] [--rasa-workers 2]
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench import servers
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore

# One tourist's conversation, in the language of each message: questions the intents
# answer from data, and questions answered from the site's texts (swimming, a lighthouse),
# a distance, a province after the merger.
CONVERSATION = [
    ("xin chào", "vi"),
    ("Tháp Đôi mở cửa mấy giờ?", "vi"),
    ("how much is the ticket?", "en"),
    ("Wie komme ich dorthin?", "de"),
    ("附近有什么好玩的", "zh"),
    ("역사 이야기 해 줘", "ko"),
    ("お祭りはありますか", "ja"),
    ("j'aime les plages", "fr"),
    ("можно ли купаться на Ниньчы?", "ru"),
    ("is there a lighthouse at Mui Dinh?", "en"),
    ("Vĩnh Hy cách Phan Rang bao xa?", "vi"),
    ("Po Klong Garai gehört heute zu welcher Provinz?", "de"),
    ("какая завтра погода", "ru"),
    ("cảm ơn nhiều", "vi"),
]
CONCURRENCY = (1, 8)
CONVERSATIONS_PER_WORKER = 2


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def add(self, other: "Run") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds


async def _conversation(
    client: aiohttp.ClientSession, door: str, url: str, sender: str, run: Run
) -> None:
    for message, lang in CONVERSATION:
        if door == "guide":
            body: dict[str, object] = {"sender": sender, "message": message, "lang": "en"}
        else:
            body = {"sender": sender, "message": message, "metadata": {"lang": lang}}
        started = time.perf_counter()
        async with client.post(url, json=body) as response:
            reply = await response.read()
        run.latencies.append(time.perf_counter() - started)
        if response.status != 200 or not json.loads(reply):
            run.errors += 1


async def _measure(door: str, url: str, concurrency: int, tag: str) -> Run:
    run = Run()
    # aiohttp: the client shares the machine with the servers, and takes a sixth of the CPU
    # time httpx did per request.
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:

        async def worker(index: int) -> None:
            for number in range(CONVERSATIONS_PER_WORKER):
                sender = f"bench-{door}-{tag}-{index}-{number}"
                await _conversation(client, door, url, sender, run)

        started = time.perf_counter()
        await asyncio.gather(*(worker(index) for index in range(concurrency)))
        run.seconds = time.perf_counter() - started
    return run


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per setting")
    parser.add_argument("--rasa-workers", type=int, default=1, help="Rasa's worker processes")
    arguments = parser.parse_args()
    with contextlib.ExitStack() as stack:
        lock_store_url = ""
        if arguments.rasa_workers > 1:
            lock_store_url = stack.enter_context(servers.redis()).rsplit("/", 1)[0] + "/1"
        print(f"Rasa worker processes: {arguments.rasa_workers}")
        _run(arguments.rounds, arguments.rasa_workers, lock_store_url)


def _run(rounds: int, rasa_workers: int, lock_store_url: str) -> None:

    workdir = Path(tempfile.mkdtemp(prefix="guide-bench-"))
    database_url = f"sqlite:///{workdir / 'guide.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    ports = {name: servers.free_port() for name in ("guide", "rasa", "actions")}
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUIDE_PORT": str(ports["guide"]),
        "GUIDE_RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "GUIDE_ACTION_SERVER_URL": f"http://127.0.0.1:{ports['actions']}",
        "GUIDE_RASA_TRACKER_URL": f"sqlite:///{workdir / 'conversations.db'}",
        "GUIDE_RASA_WORKERS": str(rasa_workers),
        "GUIDE_RASA_LOCK_STORE_URL": lock_store_url,
        # Measure latency, not the proxy's 3 s deadline, when eight conversations queue.
        "GUIDE_CHAT_TIMEOUT_S": "120",
    }
    commands = {"actions": ["bot", "actions"], "rasa": ["bot", "rasa"], "guide": ["serve"]}
    health = {"actions": "/health", "rasa": "/", "guide": "/healthz"}
    processes = {
        name: servers.start(arguments, env, workdir / f"{name}.log")
        for name, arguments in commands.items()
    }
    try:
        for name, process in processes.items():
            url = f"http://127.0.0.1:{ports[name]}{health[name]}"
            servers.wait_until_up(url, process, workdir / f"{name}.log")
        doors = {
            "guide": f"http://127.0.0.1:{ports['guide']}/api/chat",
            "rasa": f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook",
        }
        for door, url in doors.items():  # loads the models and language profiles
            asyncio.run(_measure(door, url, 1, "warm-up"))
        results: dict[tuple[str, int], Run] = {}
        for concurrency in CONCURRENCY:
            for number in range(rounds):
                for door, url in doors.items():
                    run = asyncio.run(_measure(door, url, concurrency, f"c{concurrency}r{number}"))
                    results.setdefault((door, concurrency), Run()).add(run)
        _print(results)
    finally:
        for process in processes.values():
            servers.stop(process)


def _print(results: dict[tuple[str, int], Run]) -> None:
    print("| door | concurrent | requests | errors | p50 ms | p95 ms | requests/s |")
    print("|---|---|---|---|---|---|---|")
    for (door, concurrency), run in sorted(results.items(), key=lambda item: item[0][::-1]):
        print(
            f"| {door} | {concurrency} | {len(run.latencies)} | {run.errors} "
            f"| {1000 * statistics.median(run.latencies):.0f} "
            f"| {1000 * _percentile(run.latencies, 0.95):.0f} "
            f"| {len(run.latencies) / run.seconds:.1f} |"
        )
    for concurrency in CONCURRENCY:
        guide, rasa = results[("guide", concurrency)], results[("rasa", concurrency)]
        p50 = statistics.median(guide.latencies) / statistics.median(rasa.latencies)
        p95 = _percentile(guide.latencies, 0.95) / _percentile(rasa.latencies, 0.95)
        throughput = (len(rasa.latencies) / rasa.seconds) / (len(guide.latencies) / guide.seconds)
        print(
            f"overhead at {concurrency} concurrent: p50 {p50:.2f}x, p95 {p95:.2f}x, "
            f"throughput {throughput:.2f}x (goal: at most 1.2x)"
        )


if __name__ == "__main__":
    main()
