"""The shared engine contract against a live Elasticsearch 8 server.

Runs only when ELASTICSEARCH_URL is set (with ELASTICSEARCH_API_KEY / ELASTICSEARCH_CA_CERTS
if the server needs them); otherwise every test is skipped with the reason shown by `-ra`.
Each test gets its own alias prefix (`kb-contract-<random>`) and deletes its indices after.

    ELASTICSEARCH_URL=https://localhost:9200 ELASTICSEARCH_API_KEY=... \
        .venv/bin/pytest tests/search/test_elasticsearch_contract.py -ra
"""

from __future__ import annotations

import os
import uuid

import pytest
from search.engines.elasticsearch import ElasticsearchEngine, build_client

from tests.search.contract import EngineContract
from tests.search.es.conftest import file_spelling_rules, file_synonym_rules

LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.live_es,
    pytest.mark.skipif(
        not LIVE_URL,
        reason="ELASTICSEARCH_URL is not set: the Elasticsearch contract suite needs a live "
        "Elasticsearch 8 server (see docs/search.md, 'Elasticsearch engine')",
    ),
]


class TestElasticsearchEngine(EngineContract):
    @pytest.fixture
    def engine(self):
        client = build_client(
            LIVE_URL,
            os.environ.get("ELASTICSEARCH_API_KEY", ""),
            os.environ.get("ELASTICSEARCH_CA_CERTS", ""),
        )
        prefix = f"kb-contract-{uuid.uuid4().hex[:12]}"
        engine = ElasticsearchEngine(
            client,
            url=LIVE_URL,
            prefix=prefix,
            synonym_rules=file_synonym_rules,
            spelling_rules=file_spelling_rules,
        )
        yield engine
        client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
        client.close()
