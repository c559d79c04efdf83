"""Issue 14, defect 7: a cluster (or a proxy in front of it) answering HTTP 200 with a body that
is not JSON. Over real HTTP, for both servers' clients: every failed write goes to the outbox,
searches answer from the fallback, and `search_index check` says so in one line."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from search.engines.base import SearchRequest
from search.engines.cluster import ClusterEngine, dialects
from search.engines.cluster.dialects import ClusterError, build_dialect
from search.engines.embedded import EmbeddedEngine
from search.models import SearchOutboxEntry
from search.resilience import FALLBACK_WARNING, CircuitBreaker, ResilientEngine
from search.synonyms import build_thesaurus
from tests.search.cluster.conftest import file_groups, file_spelling_rules
from tests.search.contract import corpus

MAINTENANCE_PAGE = b"<html><body><h1>Down for maintenance</h1></body></html>"


def serve(content_type: str):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(MAINTENANCE_PAGE)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(MAINTENANCE_PAGE)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(params=["text/html", "application/json"])
def html_url(request):
    server = serve(request.param)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fallback(tmp_path):
    engine = EmbeddedEngine(tmp_path / "fallback.sqlite3", thesaurus=build_thesaurus(file_groups()))
    engine.rebuild(corpus())
    yield engine
    engine.close()


@pytest.mark.parametrize("server", ["opensearch", "elasticsearch"])
def test_every_failed_write_goes_to_the_outbox_and_search_falls_back(
    db, html_url, server, fallback
):
    primary = ClusterEngine(
        build_dialect(server, html_url), prefix="kb-test", spelling_rules=file_spelling_rules
    )
    engine = ResilientEngine(primary, fallback, breaker=CircuitBreaker())
    engine.index_documents([corpus()[0]])
    engine.breaker.open_until = 0  # try the cluster again, not just the breaker
    engine.delete([102])
    entries = {e.page_id: e for e in SearchOutboxEntry.objects.all()}
    assert {page_id: e.action for page_id, e in entries.items()} == {101: "index", 102: "delete"}
    assert all(e.last_error for e in entries.values())

    engine.breaker.open_until = 0
    response = engine.search(SearchRequest.build("overcrowding"))
    assert [hit.id for hit in response.hits] == [110]
    assert response.warnings == [FALLBACK_WARNING]


@pytest.mark.parametrize("server", ["opensearch", "elasticsearch"])
def test_the_engine_raises_one_cluster_error_line(html_url, server):
    primary = ClusterEngine(
        build_dialect(server, html_url), prefix="kb-test", spelling_rules=file_spelling_rules
    )
    for call in (
        lambda: primary.search(SearchRequest.build("housing")),
        lambda: primary.index_documents([corpus()[0]]),
        lambda: primary.check(corpus()),
    ):
        with pytest.raises(ClusterError) as raised:
            call()
        message = str(raised.value)
        assert html_url in message and "\n" not in message


@pytest.mark.parametrize("server", ["opensearch", "elasticsearch"])
def test_search_index_check_says_so_in_one_line(db, settings, html_url, server, monkeypatch):
    monkeypatch.setattr(dialects, "_shared", {})
    settings.KB_SEARCH_ENGINE = server
    settings.OPENSEARCH_URL = settings.ELASTICSEARCH_URL = html_url
    with pytest.raises(CommandError) as raised:
        call_command("search_index", "check", verbosity=0)
    message = str(raised.value)
    assert message.startswith("search engine unavailable: ")
    assert html_url in message and "\n" not in message
