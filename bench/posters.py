"""Does the guide keep answering while it prints posters? 20 posters at once, timing /healthz.

    .venv/bin/python -m bench.posters [--posters 20] [--rounds 2]

Starts the guide (`guide serve` from this checkout's code, one process as `make run`
does) on the shipped sites in a fresh SQLite file and a fresh cache folder, then asks for
``--posters`` posters of different sites at once while another client asks for /healthz
every 50 ms. The first round makes every poster; later rounds find them made. Prints, per
round, how long the posters took and how long /healthz waited (median and slowest).
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench import servers
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore

HEALTH_EVERY_S = 0.05


def _database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(read_site_files())
    engine.dispose()
    return url


def _ms(seconds: list[float]) -> str:
    values = [s * 1000 for s in seconds]
    return f"median {statistics.median(values):7.0f} ms, slowest {max(values):7.0f} ms"


async def _round(base: str, keys: list[str]) -> tuple[list[float], list[float]]:
    """Seconds each poster took, and each /healthz asked while they were being made."""
    limits = httpx.Limits(max_connections=len(keys) + 1)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def poster(key: str) -> float:
            start = time.perf_counter()
            response = await client.get(f"/qr/{key}/poster.pdf")
            response.raise_for_status()
            return time.perf_counter() - start

        posters = asyncio.gather(*(poster(key) for key in keys))
        health: list[float] = []
        while not posters.done():
            start = time.perf_counter()
            (await client.get("/healthz")).raise_for_status()
            health.append(time.perf_counter() - start)
            await asyncio.sleep(HEALTH_EVERY_S)
        return await posters, health


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    keys = [site.key for site in read_site_files()][: args.posters]

    with tempfile.TemporaryDirectory(prefix="guide-bench-posters-") as folder_name:
        folder = Path(folder_name)
        port = servers.free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": _database(folder),
            "GUIDE_CACHE_DIR": str(folder / "cache"),
            "GUIDE_PUBLIC_BASE_URL": base,
        }
        log = folder / "guide.log"
        server = servers.start(["serve", "--port", str(port)], env, log)
        try:
            servers.wait_until_up(f"{base}/healthz", server, log)
            print(f"{len(keys)} posters of different sites at once, {os.cpu_count()} cores")
            for number in range(1, args.rounds + 1):
                posters, health = asyncio.run(_round(base, keys))
                print(f"round {number}: posters  {_ms(posters)}")
                print(f"         /healthz {_ms(health)} ({len(health)} asked)")
        finally:
            servers.stop(server)


if __name__ == "__main__":
    main()
