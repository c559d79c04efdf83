"""Fixtures for the Elasticsearch engine: a fake cluster, engines on it, and a closed port."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from search.engines.cluster import ClusterEngine, dialects
from search.engines.cluster.dialects import ElasticsearchDialect, build_client
from search.query.spelling import SpellingRules
from search.resilience import CircuitBreaker
from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms

from .fake_cluster import FakeCluster

FAKE_URL = "http://es.test:9200"


def file_groups():
    return parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"))


def file_spelling_rules() -> SpellingRules:
    return SpellingRules.from_thesaurus(build_thesaurus(file_groups()))


def fixed_clock():
    return datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def make_engine(client, url=FAKE_URL, prefix="kb-test", clock=fixed_clock):
    return ClusterEngine(
        ElasticsearchDialect(client, url),
        prefix=prefix,
        spelling_rules=file_spelling_rules,
        clock=clock,
    )


@pytest.fixture(autouse=True)
def fresh_process_state(monkeypatch):
    """Each test starts like a new process: no breaker memory, no cached clients."""
    monkeypatch.setattr(CircuitBreaker, "_by_url", {})
    monkeypatch.setattr(dialects, "_shared", {})


@pytest.fixture
def cluster():
    return FakeCluster()


@pytest.fixture
def es_engine(cluster):
    return make_engine(cluster.client(FAKE_URL))


@pytest.fixture
def closed_port():
    """A port nothing listens on: bound, then closed, so connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return port


@pytest.fixture
def unreachable_url(closed_port):
    return f"http://127.0.0.1:{closed_port}"


@pytest.fixture
def unreachable_engine(unreachable_url):
    client = build_client("elasticsearch", unreachable_url, max_retries=0)
    return make_engine(client, url=unreachable_url)


def matched_text(body: dict) -> str | None:
    """The words a request body matches on: its concepts' combined_fields queries, in order
    (the named `exact` clause and the ranking tiers, constant scores, repeat them, so they
    are skipped)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_name") == "exact" or "constant_score" in node:
                return
            if "combined_fields" in node:
                found.append(node["combined_fields"]["query"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("query", {}))
    return " ".join(found) if found else None
