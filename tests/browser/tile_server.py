"""A map tile server on this machine for the browser tests, so that no test asks a public
one: every ``/{z}/{x}/{y}.png`` is the same small PNG, answered to any origin (CORS) with a
day's max-age, as OpenStreetMap's are; it counts the requests it was sent."""

import io
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def _tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), "#cfe3c1").save(buffer, "PNG")
    return buffer.getvalue()


class TileServer:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        tile = _tile_png()
        requests = self.requests

        class Tiles(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests[self.path] += 1
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "max-age=86400")
                self.send_header("Date", formatdate(usegmt=True))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
        self.url = f"http://127.0.0.1:{self.server.server_port}/{{z}}/{{x}}/{{y}}.png"

    @property
    def tiles_served(self) -> int:
        return sum(self.requests.values())


@contextmanager
def tile_server() -> Iterator[TileServer]:
    server = TileServer()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
