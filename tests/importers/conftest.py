"""A real HTTP server on 127.0.0.1 for the importers' and the link checker's tests.

Routes serve the project's own fixture pages and the answers the rules must handle: redirects,
404, 500, a PDF, an empty page, a page over the size limit and a page that never answers in time.
"""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HTML_DIR = Path(__file__).with_name("html")
SLOW_SECONDS = 3


class Handler(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            # The client may have given up (the size and timeout tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def do_HEAD(self):
        self.requests.append(("HEAD", self.path))
        if self.path.startswith("/no-head/"):
            return self._answer(405)
        return self._route()

    def do_GET(self):
        self.requests.append(("GET", self.path))
        if self.path.startswith("/no-head/"):
            self.path = self.path[len("/no-head") :]
        return self._route()

    def _route(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/pages/"):
            file = HTML_DIR / path[len("/pages/") :]
            if file.is_file() and file.suffix == ".html":
                return self._answer(200, file.read_bytes())
            return self._answer(404, b"<h1>Not found</h1>")
        if path == "/ok":
            return self._answer(200, b"<html><body><h1>Fine</h1></body></html>")
        if path == "/moved":
            return self._answer(301, headers=[("Location", "/ok")])
        if path == "/moved-to-page":
            return self._answer(301, headers=[("Location", "/pages/shared_learning.html")])
        if path == "/loop":
            return self._answer(302, headers=[("Location", "/loop")])
        if path == "/error":
            return self._answer(500, b"<h1>Server error</h1>")
        if path == "/report.pdf":
            return self._answer(200, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        if path == "/empty":
            return self._answer(200, b"")
        if path == "/blank-page":
            return self._answer(200, b"<html><head></head><body>  </body></html>")
        if path == "/huge":
            return self._answer(200, b"<html><body><h1>Big</h1>" + b"x" * (5 * 1024 * 1024 + 10))
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            try:
                return self._answer(200, b"<h1>Too late</h1>")
            except (BrokenPipeError, ConnectionResetError):
                return None
        return self._answer(404, b"<h1>Not found</h1>")


@pytest.fixture(scope="session")
def web_server():
    """Base URL of a local server (started once per test process)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def served_requests():
    Handler.requests.clear()
    return Handler.requests


@pytest.fixture(autouse=True)
def short_fetch_timeout(settings):
    settings.KB_FETCH_TIMEOUT = 1
