"""What `make opensearch` then `make run-opensearch` give a user: the site answering from a live
OpenSearch node (the page and the API), not from the embedded fallback."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command

from search.engines import dialects, get_engine
from search.engines.resilient import FALLBACK_WARNING, CircuitBreaker


@pytest.fixture
def site_on_opensearch(opensearch_url, settings, tmp_path, db, monkeypatch):
    monkeypatch.setattr(CircuitBreaker, "_by_url", {})
    monkeypatch.setattr(dialects, "_shared", {})
    settings.KB_SEARCH_ENGINE = "opensearch"
    settings.OPENSEARCH_URL = opensearch_url
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    settings.KB_SEARCH_INDEX_PREFIX = f"kb-site-{uuid.uuid4().hex[:8]}"
    call_command("search_index", "rebuild", verbosity=0)
    engine = get_engine()
    yield engine
    engine.primary.drop()


def test_the_api_answers_from_opensearch(client, site_on_opensearch):
    response = client.get("/api/search/", {"q": "cot death"})
    assert response.status_code == 200
    body = response.json()
    assert body["engine"] == "opensearch"
    assert body["total"] > 0
    assert FALLBACK_WARNING not in body["warnings"]


def test_the_search_page_answers_from_opensearch(client, site_on_opensearch):
    response = client.get("/search/", {"q": "cot death"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "results for" in page
    assert FALLBACK_WARNING not in page
