"""A stand-in for one of several Rasa servers, as a process of its own: its REST channel
keeps each conversation in a SQLite file all the stand-ins share, as Rasa's SQL tracker
store does, and says which server answered and at which turn of the conversation.

    python -m tests.rasa_stand_in PORT CONVERSATIONS_FILE [SECONDS_PER_REPLY]

``GET /`` answers when the server is up (as Rasa's does).
"""

import json
import sqlite3
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn(ThreadingHTTPServer):
    conversations: str
    seconds_per_reply: float


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def do_GET(self) -> None:
        self._send(b"Hello from the Rasa stand-in")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.server.seconds_per_reply)
        with sqlite3.connect(self.server.conversations, timeout=10) as tracker:
            tracker.execute("CREATE TABLE IF NOT EXISTS events (sender TEXT, text TEXT)")
            tracker.execute("INSERT INTO events VALUES (?, ?)", (body["sender"], body["message"]))
            (turn,) = tracker.execute(
                "SELECT count(*) FROM events WHERE sender = ?", (body["sender"],)
            ).fetchone()
        port = self.server.server_address[1]
        text = f"server {port}, turn {turn}: {body['message']}"
        self._send(json.dumps([{"recipient_id": body["sender"], "text": text}]).encode())

    def _send(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = StandIn(("127.0.0.1", int(sys.argv[1])), _Handler)
    server.conversations = sys.argv[2]
    server.seconds_per_reply = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    server.serve_forever()
