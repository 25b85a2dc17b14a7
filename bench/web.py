"""Benchmark the tourist's web: the QR page and one narration file, beside nginx.

    .venv/bin/python bench/web.py [--site po-klong-garai] [--lang en] [--seconds 10]

Starts `guide serve` (one process, as `make run` does) and nginx (one worker, Debian's
package) on free ports, then drives both with wrk at 50 concurrent connections:
- the QR page `/s/{key}?lang=xx` from the guide, and the same HTML saved to disk and served
  by nginx (what a page cache in front of the guide could reach);
- the site's narration file from the guide, and the same file, from the same disk, by nginx.
Prints requests per second and p50/p95 latency for each, and the guide/nginx ratios.
Needs `nginx-light` and `wrk` (`make bench` installs them). wrk, nginx and the guide share
this machine's cores, so the figures compare servers, not absolute capacity.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '\\nRESULT {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, '
    .. '"errors": %d, "non_2xx": %d, "bytes": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, errors, summary.errors.status, summary.bytes))
end
"""
NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location /page/ {{ alias {tmp}/page/; default_type text/html; }}
    location /audio/ {{ alias {audio_dir}/; }}
  }}
}}
"""


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    failures: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server stopped at start-up; see {log}:\n{log.read_text()[-2000:]}")
        try:
            response = httpx.get(url, timeout=1)
            if response.status_code == 200:
                return
            if response.status_code != 503:
                sys.exit(f"{url} answered {response.status_code}; see {log}")
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within 30 s; see {log}")


def wrk(url: str, seconds: int, connections: int, script: Path) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    report = json.loads(line.removeprefix("RESULT "))
    return Result(
        rps=report["requests"] / report["seconds"],
        p50_ms=report["p50_ms"],
        p95_ms=report["p95_ms"],
        failures=report["errors"] + report["non_2xx"],
    )


def row(name: str, result: Result) -> str:
    failures = f"  ({result.failures} failed)" if result.failures else ""
    return f"{name:<34} {result.rps:>9.0f} {result.p50_ms:>9.1f} {result.p95_ms:>9.1f}{failures}"


def compare(title: str, guide: Result, nginx: Result) -> None:
    print(f"\n{title}")
    print(f"{'server':<34} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9}")
    print(row("guide", guide))
    print(row("nginx", nginx))
    if guide.failures or nginx.failures:
        print("Some requests failed (errors, timeouts or non-2xx answers): the figures above")
        print("do not measure the same work; find out why before comparing them.")
    print(
        f"ratio guide/nginx: throughput {guide.rps / nginx.rps:.2f}×, "
        f"p95 latency {guide.p95_ms / nginx.p95_ms:.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="po-klong-garai")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is needed: run `make bench`, or apt-get install nginx-light wrk")

    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx's workers run as www-data
        script = tmp / "report.lua"
        script.write_text(WRK_REPORT)
        guide_port, nginx_port = free_port(), free_port()
        guide_base = f"http://127.0.0.1:{guide_port}"
        guide_log = tmp / "guide.log"
        env = {**os.environ, "GUIDE_PUBLIC_BASE_URL": guide_base}
        with guide_log.open("wb") as log:
            guide = subprocess.Popen(
                [str(ROOT / ".venv/bin/guide"), "serve", "--port", str(guide_port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes = [guide]
        try:
            wait_until_up(f"{guide_base}/healthz", guide, guide_log)
            page_path = f"/s/{args.site}?lang={args.lang}"
            page = httpx.get(guide_base + page_path)
            page.raise_for_status()
            (tmp / "page").mkdir()
            (tmp / "page" / "site.html").write_bytes(page.content)

            narration = httpx.get(f"{guide_base}/api/sites/{args.site}/narration/{args.lang}")
            audio_path = audio_file(narration)
            nginx_conf = tmp / "nginx.conf"
            nginx_conf.write_text(
                NGINX_CONF.format(
                    # As root, nginx's workers would run as www-data, which cannot read the
                    # project's folders; they must read the very file the guide serves.
                    user="user root;" if os.geteuid() == 0 else "",
                    tmp=tmp,
                    port=nginx_port,
                    audio_dir=audio_path.parent if audio_path else tmp,
                )
            )
            nginx_log = tmp / "nginx-error.log"
            nginx = subprocess.Popen(
                ["nginx", "-c", str(nginx_conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            processes.append(nginx)
            nginx_base = f"http://127.0.0.1:{nginx_port}"
            wait_until_up(f"{nginx_base}/page/site.html", nginx, nginx_log)

            seconds, connections = args.seconds, args.connections
            print(
                f"{connections} concurrent connections, {seconds} s each, "
                f"{os.cpu_count()} cores shared by wrk and the servers"
            )
            compare(
                f"QR page {page_path} ({len(page.content) / 1024:.1f} KB of HTML)",
                wrk(guide_base + page_path, seconds, connections, script),
                wrk(f"{nginx_base}/page/site.html", seconds, connections, script),
            )
            if audio_path is None:
                print(
                    f"\nNo narration is built for {args.site} in {args.lang}: run "
                    f"`guide narration build --site {args.site} --lang {args.lang}` to add it."
                )
                return
            audio_url = narration.json()["url"]
            compare(
                f"narration file {audio_path.name} ({audio_path.stat().st_size / 1024:.0f} KB)",
                wrk(guide_base + audio_url, seconds, connections, script),
                wrk(f"{nginx_base}/audio/{audio_path.name}", seconds, connections, script),
            )
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


def audio_file(narration: httpx.Response) -> Path | None:
    """The file on disk behind the guide's narration URL, when the narration is built."""
    if narration.status_code == 404:
        return None
    narration.raise_for_status()
    from api.settings import get_settings

    name = Path(urlsplit(narration.json()["url"]).path).name
    path = (ROOT / get_settings().audio_dir / name[:2] / name).resolve()  # library.file_path
    if not path.is_file():
        sys.exit(f"The narration file {path} is missing; check GUIDE_AUDIO_DIR.")
    return path


if __name__ == "__main__":
    main()
