"""A real HTTP server on loopback, started by a test, with routes the test defines.

A route is a function of the request handler that answers it; `reply` sends a
whole answer.  The server counts hits per path and keeps each request's headers.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]


def reply(handler: BaseHTTPRequestHandler, status: int = 200, body: bytes = b"",
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def trickle(handler: BaseHTTPRequestHandler, seconds_per_byte: float = 0.05, total: int = 10_000) -> None:
    """A body that arrives one byte at a time, as slow servers and attackers send it."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(total))
    handler.end_headers()
    try:
        for _ in range(total):
            handler.wfile.write(b"%")
            handler.wfile.flush()
            time.sleep(seconds_per_byte)
    except OSError:      # the client gave up, as it should
        pass


class LoopbackServer:
    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.hits[path] += 1
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(path)
                if route is None:
                    reply(self, 404, b"not found")
                else:
                    route(self)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
