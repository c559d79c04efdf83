"""Engine selection. Everything outside `search/engines/` gets its engine from `get_engine()`."""

from django.conf import settings

from .base import (  # noqa: F401
    CheckReport,
    EngineUnavailable,
    FacetValue,
    Hit,
    IndexUnavailable,
    InvalidSearchRequest,
    SearchEngine,
    SearchRequest,
    SearchResponse,
)

CLUSTER_ENGINES = ("opensearch", "elasticsearch")
ENGINE_NAMES = ("embedded", *CLUSTER_ENGINES)


def get_engine(name: str | None = None) -> SearchEngine:
    """The configured engine (KB_SEARCH_ENGINE), or the one named."""
    name = name or settings.KB_SEARCH_ENGINE
    # Imported on first use: only the configured engine is loaded (a cluster's client is an
    # optional package).
    if name == "embedded":
        from .embedded import EmbeddedEngine

        return EmbeddedEngine(settings.KB_SEARCH_INDEX_PATH)
    if name in CLUSTER_ENGINES:  # resilience imports the engines: after this module
        from search.resilience import build_cluster_engine

        return build_cluster_engine(name)
    raise ValueError(f"unknown search engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
