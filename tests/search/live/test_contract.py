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

if ELASTICSEARCH_URL:
    # Defined only when a server is named, so a run without one collects no skipped tests; no
    # Elasticsearch server can be installed here (docs/search.md, "What is verified live").

    @pytest.mark.live_es
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
