"""The shared engine contract, live, on every cluster server (the backend mixin pattern of
django-modelsearch: one `EngineContract`, one subclass per live server).

- OpenSearch 3.9: a real node started once per session (tests/search/live/conftest.py). Under
  CI=true a node that cannot start fails the run, never skips.
- Elasticsearch 8: only when ELASTICSEARCH_URL names a running server (none can be installed on
  our machines; see docs/search.md). Each test deletes its indices by name afterwards.
"""

from __future__ import annotations

import os

import pytest

from tests.search.contract import EngineContract

from .backends import dispose, live_engine


class TestOpenSearchEngine(EngineContract):
    @pytest.fixture
    def engine(self, opensearch_url):
        engine = live_engine("opensearch", opensearch_url)
        yield engine
        dispose(engine)


ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.mark.live_es
@pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch 8 server runs here (docs/search.md)",
)
class TestElasticsearchEngine(EngineContract):
    @pytest.fixture
    def engine(self):
        engine = live_engine(
            "elasticsearch",
            ELASTICSEARCH_URL,
            api_key=os.environ.get("ELASTICSEARCH_API_KEY", ""),
            ca_certs=os.environ.get("ELASTICSEARCH_CA_CERTS", ""),
        )
        yield engine
        dispose(engine)
