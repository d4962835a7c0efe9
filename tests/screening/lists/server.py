"""A real HTTP server on loopback that serves list files, and misbehaves on request:
cuts a body short, answers 500 a few times first, or sends an HTML error page."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    body: bytes
    content_type: str = "text/csv"
    fail_first: int = 0
    """Answer HTTP 500 this many times before serving the body."""
    truncate_at: int | None = None
    """Announce the full length but close the connection after this many bytes."""
    last_modified: str | None = None
    status: int = 200


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up mid-body is what some tests do on purpose."""


class FileServer:
    """``with FileServer({"/sdn.csv": Route(data)}) as server: server.url("/sdn.csv")``."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        handler = self._handler()
        self.httpd = _Quiet(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", "text/plain")
                    return
                if server.hits[self.path] <= route.fail_first:
                    self._send(500, b"try again", "text/plain")
                    return
                if route.truncate_at is not None:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(route.body[: route.truncate_at])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                headers = {"Last-Modified": route.last_modified} if route.last_modified else {}
                self._send(route.status, route.body, route.content_type, headers)

            def _send(
                self, code: int, body: bytes, kind: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def __enter__(self) -> FileServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
