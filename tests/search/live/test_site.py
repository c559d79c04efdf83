"""The site served on OpenSearch: KB_SEARCH_ENGINE=opensearch, everything through get_engine()
as in production, the page and the API answered by the node itself (no fallback notice)."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command

from search.engines import get_engine
from search.engines.cluster import dialects
from search.resilience import FALLBACK_WARNING, CircuitBreaker


@pytest.fixture
def site_on_opensearch(opensearch_url, settings, tmp_path, monkeypatch, db):
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


def test_page_api_and_suggestions_come_from_opensearch(site_on_opensearch, client):
    page = client.get("/search/", {"q": "cot death", "theme": "safeguarding-and-sudi"})
    assert page.status_code == 200
    response = page.context["response"]
    assert (response.engine, response.total > 0) == ("opensearch", True)
    assert FALLBACK_WARNING not in page.content.decode()

    api = client.get("/api/search/", {"q": "breastfeding"})  # a typo, corrected by the node
    assert api.status_code == 200
    body = api.json()
    assert body["engine"] == "opensearch"
    assert body["suggestion"] == "breastfeeding" and body["total"] > 0
    assert FALLBACK_WARNING not in body["warnings"]

    suggestions = client.get("/api/search/suggest/", {"q": "breastf"})
    assert suggestions.status_code == 200
    assert suggestions.json()
