"""What the map page weighs before its tiles, measured in Chromium through its DevTools log.

    python -m bench.map_weight [--lang en] [--gzip] [--phone]

Starts the guide on a free port (a fresh SQLite database holding the shipped sites), opens
``/map`` in Debian's headless Chromium with the performance log on, waits until the page's
script has run, and adds up what the network sent for every request but the tiles
(``Network.loadingFinished``'s ``encodedDataLength``: headers and body, compressed when the
server compressed). ``--gzip`` puts Starlette's gzip middleware in front of the guide, as a
proxy that compresses text (nginx's ``gzip on``) would. The tiles host does not resolve, so
no tile counts. Prints each request and the totals; render-blocking means a script without
``defer``/``async``/``module`` or a stylesheet in the head.
"""

import argparse
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from api.app import create_app
from api.settings import Settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.store import SiteStore

TILES_HOST = "tile.openstreetmap.org"
BLOCKING = """
return Array.from(document.querySelectorAll('head script[src], head link[rel=stylesheet]'))
  .filter(e => e.tagName === 'LINK' || !(e.defer || e.async || e.type === 'module'))
  .map(e => e.src || e.href);
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def guide(compress: bool) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'guide.db'}"
        engine = make_engine(database)
        upgrade(engine)
        SiteStore(Database(engine)).load(read_site_files())
        app: ASGIApp = create_app(Settings(database_url=database, audio_dir=folder))
        if compress:
            app = GZipMiddleware(app, minimum_size=500)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def chromium(phone: bool) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1100,800",
        f"--host-resolver-rules=MAP {TILES_HOST} ~NOTFOUND",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    if phone:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True},
        )
    return driver


def transfers(log: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """``(url, bytes on the wire)`` of every finished request, in the order they finished."""
    urls: dict[str, str] = {}
    finished: list[tuple[str, int]] = []
    for entry in log:
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFinished":
            url = urls.get(params["requestId"], "?")
            finished.append((url, int(params["encodedDataLength"])))
    return finished


def measure(url: str, lang: str, phone: bool) -> dict[str, Any]:
    driver = chromium(phone)
    try:
        driver.get(f"{url}/map?lang={lang}")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!window.heritageGuide"))
        time.sleep(1.5)  # let late requests (images a stylesheet names) finish
        blocking = driver.execute_script(BLOCKING)
        sent = [
            (address, size)
            for address, size in transfers(driver.get_log("performance"))  # type: ignore[no-untyped-call]
            if urlsplit(address).hostname not in (TILES_HOST, None)
        ]
    finally:
        driver.quit()
    return {"requests": sent, "blocking": blocking}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--gzip", action="store_true", help="compress text, as a proxy would")
    parser.add_argument("--phone", action="store_true", help="a 390×844 phone's screen")
    arguments = parser.parse_args()
    with guide(arguments.gzip) as url:
        found = measure(url, arguments.lang, arguments.phone)
    total = 0
    for address, size in found["requests"]:
        total += size
        print(f"{size:>9,} B  {urlsplit(address).path}")
    print(
        f"\n/map?lang={arguments.lang} before tiles: {total:,} B ({total / 1024:.0f} KiB) in "
        f"{len(found['requests'])} requests, {'gzip' if arguments.gzip else 'uncompressed'}; "
        f"{len(found['blocking'])} render-blocking file(s)"
    )


if __name__ == "__main__":
    main()
