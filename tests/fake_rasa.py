"""A stand-in for Rasa's REST channel, on a real local port: the network boundary of the chat.

It echoes the visitor's message back with a quick-reply button and a narration link,
so the proxy and the widget can be checked end to end without the real assistant.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeRasa(ThreadingHTTPServer):
    delay_s = 0.0
    received: list[dict[str, Any]]
    # When set, the items returned instead of the echo.
    reply: list[dict[str, Any]] | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeRasa

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append(body)
        time.sleep(self.server.delay_s)
        site = body["metadata"].get("site") or "thap-doi"
        reply = [
            {
                "recipient_id": body["sender"],
                "text": f"You said: {body['message']}",
                "buttons": [{"title": "Opening hours", "payload": "/ask_hours"}],
            },
            {
                "recipient_id": body["sender"],
                "custom": {
                    "text": "Listen here:",
                    "lang": body["metadata"]["lang"],
                    "links": [{"title": "Narration", "url": f"/s/{site}?lang=en"}],
                },
            },
        ]
        if self.server.reply is not None:
            reply = self.server.reply
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa(("127.0.0.1", 0), _Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
