"""Cluster engines on live servers, for the shared contract (django-modelsearch's pattern: one
backend test mixin, `EngineContract`, run against each live server).

Each engine gets its own alias prefix (`kb-live-<random>`) and, after the test, deletes its
versioned indices by name (never by wildcard: Elasticsearch 8 refuses that).
"""

from __future__ import annotations

import uuid

from search.engines.cluster import ClusterEngine
from search.engines.cluster.dialects import build_dialect
from tests.search.cluster.conftest import file_spelling_rules


def live_engine(
    server: str, url: str, prefix: str | None = None, spelling_rules=file_spelling_rules, **options
) -> ClusterEngine:
    """An engine with its own alias; synonyms from synonyms.txt only unless `spelling_rules`
    (which carries the thesaurus) says otherwise."""
    return ClusterEngine(
        build_dialect(server, url, **options),
        prefix=prefix or f"kb-live-{uuid.uuid4().hex[:12]}",
        spelling_rules=spelling_rules,
    )


def dispose(engine: ClusterEngine) -> None:
    engine.drop()
    engine.dialect.close()
