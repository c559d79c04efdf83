"""The shared engine contract, live, on every cluster server we can run (OpenSearch 3.9).

The same `EngineContract` the embedded engine passes, against a real node started once per
session (tests/search/live/conftest.py). Under CI=true a node that cannot start fails the run.
"""

from __future__ import annotations

import pytest

from tests.search.contract import EngineContract

from .backends import dispose, live_engine


class TestOpenSearchEngine(EngineContract):
    @pytest.fixture
    def engine(self, opensearch_url):
        engine = live_engine("opensearch", opensearch_url)
        yield engine
        dispose(engine)
