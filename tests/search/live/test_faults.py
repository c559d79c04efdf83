"""Faults on a live OpenSearch node of these tests' own, which they stop and start again.

Each test counts what survived: the alias still on the complete old index after the node died
mid-rebuild; answers from the embedded fallback with the notice while it is down; every publish
made meanwhile in the outbox, then in the index after `search_index update`, 0 lost; and a
document the node refuses kept in the outbox without holding back the others.
"""

from __future__ import annotations

import os
import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from search.documents import all_documents
from search.engines import get_engine
from search.engines.base import SearchRequest
from search.engines.cluster import dialects
from search.engines.cluster import engine as cluster_module
from search.engines.cluster.dialects import ClusterError
from search.models import SearchOutboxEntry
from search.resilience import FALLBACK_WARNING, CircuitBreaker
from tests.search.contract import doc

from .backends import dispose, live_engine
from .conftest import started_node


@pytest.fixture(scope="module")
def fault_node(tmp_path_factory):
    """A node only these tests use, so stopping it disturbs no other test."""
    yield from started_node(tmp_path_factory.mktemp("opensearch-faults"))


@pytest.fixture
def node(fault_node):
    if not fault_node.running():
        fault_node.start()
    return fault_node


@pytest.fixture
def fresh_process(monkeypatch):
    monkeypatch.setattr(CircuitBreaker, "_by_url", {})
    monkeypatch.setattr(dialects, "_shared", {})


def count_in(engine) -> int:
    return engine.dialect.count(engine.alias)


def test_node_stopped_during_a_rebuild_leaves_the_alias_on_the_complete_old_index(node):
    engine = live_engine("opensearch", node.url)
    try:
        old = [doc(n, f"Old page {n}", "resource", summary="old") for n in range(1, 301)]
        assert engine.rebuild(old) == 300
        (old_index,) = engine.dialect.alias_holders(engine.alias)

        def documents_then_the_node_dies():
            for n in range(1, 1201):
                if n == 700:  # the first bulk chunk (500) is in; the node goes mid-load
                    node.stop()
                yield doc(n, f"New page {n}", "resource", summary="new")

        with pytest.raises(ClusterError, match="unreachable"):
            engine.rebuild(documents_then_the_node_dies())
        node.start()

        assert engine.dialect.alias_holders(engine.alias) == [old_index]
        assert count_in(engine) == 300
        assert engine.search(SearchRequest.build("old")).total == 300
        assert engine.search(SearchRequest.build("new")).total == 0
        # The half-built index could not be deleted while the node was down; the next rebuild
        # goes live and removes both it and the old index.
        leftovers = [n for n in engine.dialect.indices_matching(f"{engine.alias}-*")]
        assert len(leftovers) == 2
        assert engine.rebuild(old[:10]) == 10
        assert len(engine.dialect.indices_matching(f"{engine.alias}-*")) == 1
    finally:
        if node.running():
            dispose(engine)


@pytest.fixture
def site_on_fault_node(node, settings, tmp_path, fresh_process, db):
    settings.KB_SEARCH_ENGINE = "opensearch"
    settings.OPENSEARCH_URL = node.url
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    settings.KB_SEARCH_INDEX_PREFIX = f"kb-faults-{uuid.uuid4().hex[:8]}"
    call_command("search_index", "rebuild", verbosity=0)
    engine = get_engine()
    yield engine
    if node.running():
        engine.primary.drop()


def publish(pages, title_for, django_capture_on_commit_callbacks):
    for page in pages:
        page.title = title_for(page)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()


def test_node_down_then_back_loses_no_publish(
    site_on_fault_node, node, client, django_capture_on_commit_callbacks
):
    from kb.models import CaseStudyPage

    engine = site_on_fault_node
    expected = len(list(all_documents()))
    assert count_in(engine.primary) == expected
    pages = list(CaseStudyPage.objects.live().order_by("pk")[:5])

    node.stop()
    page = client.get("/search/", {"q": "breastfeeding"})
    assert page.status_code == 200
    assert FALLBACK_WARNING in page.content.decode()
    assert page.context["response"].total > 0
    api = client.get("/api/search/", {"q": "breastfeeding"}).json()
    assert (api["engine"], FALLBACK_WARNING in api["warnings"]) == ("embedded", True)

    publish(pages, lambda p: f"Zebra crossing {p.pk}", django_capture_on_commit_callbacks)
    unpublished = pages[-1]
    with django_capture_on_commit_callbacks(execute=True):
        unpublished.unpublish()
    assert SearchOutboxEntry.objects.count() == 5
    assert SearchOutboxEntry.objects.get(page_id=unpublished.pk).action == "delete"
    # Pages with both words (the rest of the total are partial matches, listed after them).
    assert engine.fallback.search(SearchRequest.build("zebra crossing")).exact_total == 4

    node.start()
    engine.breaker.open_until = 0
    out = StringIO()
    call_command("search_index", "update", stdout=out)
    assert "Replayed the outbox: 4 indexed, 1 removed." in out.getvalue()
    assert SearchOutboxEntry.objects.count() == 0
    found = engine.primary.search(SearchRequest.build("zebra crossing"))
    assert found.exact_total == 4
    exact_hits = found.hits[: found.exact_total]
    assert sorted(hit.id for hit in exact_hits) == sorted(p.pk for p in pages[:4])
    assert count_in(engine.primary) == expected - 1
    report = engine.check(list(all_documents()))
    assert not report.drift  # 0 lost: every published change is in the index
    check = StringIO()
    call_command("search_index", "check", stdout=check)
    assert "No drift." in check.getvalue()


def test_a_refused_document_stays_in_the_outbox_without_blocking_the_others(
    site_on_fault_node, monkeypatch, django_capture_on_commit_callbacks
):
    from kb.models import CaseStudyPage

    engine = site_on_fault_node
    pages = list(CaseStudyPage.objects.live().order_by("pk")[:3])
    refused = pages[1]
    real_to_source = cluster_module.to_source

    def one_malformed(document):
        source = real_to_source(document)
        if document["id"] == refused.pk:
            source["year"] = "not a year"  # the mapping says integer: the node refuses it
        return source

    monkeypatch.setattr(cluster_module, "to_source", one_malformed)
    publish(pages, lambda p: f"Giraffe wallpaper {p.pk}", django_capture_on_commit_callbacks)

    (entry,) = SearchOutboxEntry.objects.all()
    assert entry.page_id == refused.pk and "mapper_parsing_exception" in entry.last_error
    assert engine.breaker.allows_request()  # a refusal is not an outage
    found = engine.primary.search(SearchRequest.build("giraffe wallpaper"))
    assert sorted(hit.id for hit in found.hits) == sorted([pages[0].pk, pages[2].pk])

    out = StringIO()
    call_command("search_index", "update", stdout=out)
    assert "1 page(s) left in the outbox (1 refused" in out.getvalue()
    entry.refresh_from_db()
    assert entry.attempts == 3  # refused on publish, on the replay, and by the drift repair

    monkeypatch.setattr(cluster_module, "to_source", real_to_source)
    call_command("search_index", "update", stdout=StringIO())
    assert SearchOutboxEntry.objects.count() == 0
    found = engine.primary.search(SearchRequest.build("giraffe wallpaper"))
    assert sorted(hit.id for hit in found.hits) == sorted(p.pk for p in pages)


pytestmark = pytest.mark.skipif(
    os.environ.get("KB_SKIP_FAULT_NODE") == "1", reason="KB_SKIP_FAULT_NODE=1"
)
