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

ENGINE_NAMES = ("embedded", "elasticsearch")


def get_engine(name: str | None = None) -> SearchEngine:
    """The configured engine (KB_SEARCH_ENGINE), or the one named."""
    name = name or settings.KB_SEARCH_ENGINE
    if name == "embedded":
        from .embedded import EmbeddedEngine

        return EmbeddedEngine(settings.KB_SEARCH_INDEX_PATH)
    if name == "elasticsearch":
        from .resilient import build_elasticsearch_engine

        return build_elasticsearch_engine()
    raise ValueError(f"unknown search engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
