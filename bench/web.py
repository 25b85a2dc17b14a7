"""Benchmark the tourist's web: the QR page and one narration file, through nginx and alone.

    .venv/bin/python bench/web.py [--site po-klong-garai] [--lang en] [--seconds 10]

Starts `guide serve --workers 2` on a free port, nginx with the configuration
`guide deploy nginx` writes in front of it, and a reference nginx serving plain files (Debian's
package, one worker), then drives them with the same wrk settings (50 connections):
- the QR page at its canonical address `/s/{key}/{lang}`: the same HTML saved to disk and
  served by the reference nginx; through the written configuration (kept in its proxy_cache);
  from the guide alone;
- the site's narration file: the same file, from the same disk, by the reference nginx; through
  the written configuration (served from disk by it); from the guide alone;
- and through the written configuration at 200 connections: errors and p95.
Every request says `Accept-Encoding: gzip`, as phones' browsers do (the reference nginx serves
the file as it is, uncompressed). Prints requests per second, p50/p95 latency, the ratios to
the reference nginx against the goals, and the run's conditions. Needs nginx-light and wrk
(`make bench` installs them). wrk, nginx and the guide share this machine's cores, so the
figures compare servers, not absolute capacity.
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


# (what, measured against, at least): throughput as a share of the reference nginx's.
GOALS = {
    "page through the written configuration": 0.5,
    "page from the guide alone": 0.05,
    "audio through the written configuration": 0.8,
}
CROWD_P95_MS = 100.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120  # two workers start on a shared machine
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
    sys.exit(f"{url} did not answer within 120 s; see {log}")


def wrk(url: str, seconds: int, connections: int, script: Path) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    command += ["-H", "Accept-Encoding: gzip", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    report = json.loads(line.removeprefix("RESULT "))
    return Result(
        rps=report["requests"] / report["seconds"],
        p50_ms=report["p50_ms"],
        p95_ms=report["p95_ms"],
        failures=report["errors"] + report["non_2xx"],
    )


def row(name: str, result: Result, reference: Result) -> str:
    failures = f"  ({result.failures} failed)" if result.failures else ""
    ratio = result.rps / reference.rps
    return (
        f"{name:<34} {result.rps:>9.0f} {result.p50_ms:>9.1f} {result.p95_ms:>9.1f}"
        f" {ratio:>8.3f}×{failures}"
    )


def compare(title: str, results: dict[str, Result]) -> None:
    reference = results["nginx, the file from disk"]
    print(f"\n{title}")
    print(f"{'server':<34} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} {'ratio':>9}")
    for name, result in results.items():
        print(row(name, result, reference))
    if any(result.failures for result in results.values()):
        print("Some requests failed (errors, timeouts or non-2xx answers): the figures above")
        print("do not measure the same work; find out why before comparing them.")


def verdict(goal: str, ratio: float) -> str:
    wanted = GOALS[goal]
    return f"{goal}: {ratio:.3f}× (goal ≥ {wanted}×) {'met' if ratio >= wanted else 'NOT MET'}"


def start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def conditions(args: argparse.Namespace, page_bytes: int) -> None:
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(
        f"{args.connections} concurrent connections (and {args.crowd} for the crowd), "
        f"{args.seconds} s each, wrk -t2, every request with Accept-Encoding: gzip"
    )
    print(
        f"{os.cpu_count()} cores shared by wrk, nginx and the guide; load average {load} "
        f"at the start; {nginx_version}; the guide: `guide serve --workers 2`, access log "
        f"off; the reference nginx: one worker, the page's {page_bytes / 1024:.1f} KB of "
        "HTML as a file, uncompressed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="po-klong-garai")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--crowd", type=int, default=200)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is needed: run `make bench`, or apt-get install nginx-light wrk")

    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx's workers run as www-data
        script = tmp / "report.lua"
        script.write_text(WRK_REPORT)
        guide_port, nginx_port, deployed_port = free_port(), free_port(), free_port()
        guide_base = f"http://127.0.0.1:{guide_port}"
        env = {
            **os.environ,
            "GUIDE_PUBLIC_BASE_URL": guide_base,
            "GUIDE_TRUSTED_PROXIES": "127.0.0.1",
            "GUIDE_ACCESS_LOG": "false",
        }
        guide_command = str(Path(sys.executable).with_name("guide"))
        guide_log = tmp / "guide.log"
        serve = [guide_command, "serve", "--port", str(guide_port), "--workers", "2"]
        processes = [start(serve, guide_log, env)]
        try:
            wait_until_up(f"{guide_base}/healthz", processes[0], guide_log)
            page_path = f"/s/{args.site}/{args.lang}"
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
            processes.append(start(["nginx", "-c", str(nginx_conf)], tmp / "nginx.out", env))
            nginx_base = f"http://127.0.0.1:{nginx_port}"
            wait_until_up(f"{nginx_base}/page/site.html", processes[-1], nginx_log)

            prefix = tmp / "deployed"
            user = ["--user", "root"] if os.geteuid() == 0 else []
            deploy = [guide_command, "deploy", "nginx", "--listen", f"127.0.0.1:{deployed_port}"]
            deploy += ["--upstream", f"127.0.0.1:{guide_port}", "--prefix", str(prefix), *user]
            subprocess.run(deploy, cwd=ROOT, env=env, check=True, capture_output=True)
            deployed_command = ["nginx", "-p", str(prefix), "-c", str(prefix / "guide-nginx.conf")]
            deployed_command += ["-g", "daemon off;"]
            processes.append(start(deployed_command, tmp / "deployed.out", env))
            deployed_base = f"http://127.0.0.1:{deployed_port}"
            wait_until_up(f"{deployed_base}/healthz", processes[-1], prefix / "logs/error.log")

            conditions(args, len(page.content))
            seconds, connections = args.seconds, args.connections
            pages = {
                "nginx, the file from disk": wrk(
                    f"{nginx_base}/page/site.html", seconds, connections, script
                ),
                "nginx, the written configuration": wrk(
                    deployed_base + page_path, seconds, connections, script
                ),
                "the guide alone, two workers": wrk(
                    guide_base + page_path, seconds, connections, script
                ),
            }
            compare(f"QR page {page_path}", pages)
            reference = pages["nginx, the file from disk"].rps
            ratios = {
                "page through the written configuration": pages[
                    "nginx, the written configuration"
                ].rps
                / reference,
                "page from the guide alone": pages["the guide alone, two workers"].rps / reference,
            }
            crowd = {"page": wrk(deployed_base + page_path, seconds, args.crowd, script)}
            if audio_path is None:
                print(
                    f"\nNo narration is built for {args.site} in {args.lang}: run "
                    f"`guide narration build --site {args.site} --lang {args.lang}` to add it."
                )
            else:
                audio_url = narration.json()["url"]
                sounds = {
                    "nginx, the file from disk": wrk(
                        f"{nginx_base}/audio/{audio_path.name}", seconds, connections, script
                    ),
                    "nginx, the written configuration": wrk(
                        deployed_base + audio_url, seconds, connections, script
                    ),
                    "the guide alone, two workers": wrk(
                        guide_base + audio_url, seconds, connections, script
                    ),
                }
                size = audio_path.stat().st_size / 1024
                compare(f"narration file {audio_path.name} ({size:.0f} KB)", sounds)
                ratios["audio through the written configuration"] = (
                    sounds["nginx, the written configuration"].rps
                    / sounds["nginx, the file from disk"].rps
                )
                crowd["audio"] = wrk(deployed_base + audio_url, seconds, args.crowd, script)
            print(f"\nThrough the written configuration at {args.crowd} connections")
            for what, result in crowd.items():
                print(
                    f"{what}: {result.rps:.0f} req/s, {result.failures} failed, "
                    f"p95 {result.p95_ms:.1f} ms"
                )
            page_crowd = crowd["page"]
            met = page_crowd.failures == 0 and page_crowd.p95_ms < CROWD_P95_MS
            print(
                f"page at {args.crowd} connections: none failed and p95 < {CROWD_P95_MS:.0f} ms "
                f"{'met' if met else 'NOT MET'} (a narration file is a megabyte: its p95 at "
                "that crowd is the time to send it, not a goal)"
            )
            print("\nGoals (throughput against the reference nginx)")
            for goal, ratio in ratios.items():
                print(verdict(goal, ratio))
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=20)


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
