"""The engine contract. Views, the API, the CLI and index maintenance talk only to this.

A request is validated once, here, so every engine receives clean input and every caller gets
the same errors and warnings.
"""

from __future__ import annotations

import abc
import dataclasses
from dataclasses import dataclass, field

from search.facets import FACETS, FACETS_BY_NAME, MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZE, SORTS


class InvalidSearchRequest(ValueError):
    """Input a user must correct (shown as HTTP 400 or a form error)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


class EngineUnavailable(RuntimeError):
    """The engine cannot answer (e.g. a cluster is unreachable); callers may fall back."""


class IndexUnavailable(EngineUnavailable):
    """The local index file is missing, corrupt or not built yet: a rebuild brings it back.

    Pages say "search is being rebuilt" and the API answers 503 with Retry-After; the scheduled
    `search_index update` rebuilds it.
    """

    retry_after = 60


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE

    @classmethod
    def build(cls, query="", filters=None, sort="relevance", page=1, *, lenient=False):
        """Validate raw values (e.g. from a query string) into a request.

        Raises InvalidSearchRequest for what the user must fix. Strict (the API and the CLI): a
        bad sort or page raises too. Lenient (the page): an unknown sort becomes relevance and a
        bad page the nearest valid number (1 for anything that is not a whole number). A query
        over MAX_QUERY_LENGTH raises in both modes.
        """
        query = "".join(ch for ch in str(query or "") if ch.isprintable() or ch in " \t")
        query = " ".join(query.split())
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearchRequest("q", f"Search for {MAX_QUERY_LENGTH} characters or fewer.")
        if sort in (None, "") or (lenient and sort not in SORTS):
            sort = "relevance"
        if sort not in SORTS:
            raise InvalidSearchRequest("sort", "Sort by relevance, newest or title.")
        try:
            page = int(page or 1)
        except (TypeError, ValueError):
            if not lenient:
                raise InvalidSearchRequest("page", "Page must be a whole number.") from None
            page = 1
        if lenient:
            page = min(max(page, 1), MAX_PAGE)
        if page < 1 or page > MAX_PAGE:
            raise InvalidSearchRequest("page", f"Page must be between 1 and {MAX_PAGE}.")
        clean_filters = {}
        for name, values in (filters or {}).items():
            if name not in FACETS_BY_NAME:
                continue
            kept = tuple(dict.fromkeys(str(v)[:120] for v in values if str(v).strip()))
            if kept:
                clean_filters[name] = kept
        return cls(query=query, filters=clean_filters, sort=sort, page=page)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: int
    title: str
    url: str
    type: str  # type label, e.g. "Case study"
    type_key: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    themes: list[str]
    areas: list[str]
    interventions: list[str]
    year: int | None
    score: float = 0.0


@dataclass
class SearchResponse:
    request: SearchRequest
    engine: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected_from: str | None = None  # set when the engine retried with `suggestion`
    warnings: list[str] = field(default_factory=list)
    # How many of `total` match every concept of the query; they are listed first, then the
    # pages missing one (the partial-match rule). None: the engine does not say.
    exact_total: int | None = None

    @property
    def pages(self):
        size = self.request.page_size
        return max(1, (self.total + size - 1) // size)

    def to_api(self):
        return {
            "query": self.request.query,
            "total": self.total,
            "page": self.request.page,
            "pages": self.pages,
            "engine": self.engine,
            "results": [
                {
                    "title": hit.title,
                    "url": hit.url,
                    "type": hit.type,
                    "snippet": hit.snippet,
                    "themes": hit.themes,
                    "areas": hit.areas,
                    "interventions": hit.interventions,
                    "year": hit.year,
                }
                for hit in self.hits
            ],
            "facets": {
                facet.name: [vars(value) for value in self.facets.get(facet.name, [])]
                for facet in FACETS
            },
            "suggestion": self.suggestion,
            "warnings": list(self.warnings),
        }


def search_within_pages(engine, request: SearchRequest, *, lenient=False) -> SearchResponse:
    """Answer a request whose page may lie past the last page of results.

    The page, the API and the CLI all search through here. Lenient (the page): the last page is answered instead (page
    1 when nothing matches), so a stale link never shows an empty page. Strict (the API and the
    CLI): InvalidSearchRequest for the page field, naming the last page.
    """
    response = engine.search(request)
    if request.page > response.pages:
        if not lenient:
            raise InvalidSearchRequest(
                "page", f"Page must be between 1 and {response.pages} for this search."
            )
        response = engine.search(dataclasses.replace(request, page=response.pages))
    return response


@dataclass
class CheckReport:
    engine: str
    indexed: int
    expected: int
    missing: list[int] = field(default_factory=list)  # published but not indexed
    stale: list[int] = field(default_factory=list)  # indexed but differs from the page
    orphaned: list[int] = field(default_factory=list)  # indexed but no longer published
    details: dict = field(default_factory=dict)  # engine-specific (cluster health, alias, ...)

    @property
    def drift(self):
        return bool(self.missing or self.stale or self.orphaned)


class SearchEngine(abc.ABC):
    name: str = "abstract"

    @abc.abstractmethod
    def index_documents(self, documents: list[dict]) -> None:
        """Add or replace these documents (by id)."""

    @abc.abstractmethod
    def delete(self, ids: list[int]) -> None:
        """Remove these ids; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResponse:
        """Answer a validated request."""

    @abc.abstractmethod
    def rebuild(self, documents) -> int:
        """Replace the whole index with these documents; return how many were indexed."""

    @abc.abstractmethod
    def check(self, documents: list[dict]) -> CheckReport:
        """Compare the index with the documents the published pages produce now."""

    def health(self) -> dict:
        """Cheap facts for /healthz (e.g. the document count); raises EngineUnavailable."""
        return {}

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles that complete a prefix, for suggestions as you type.

        Every word must be in the title; the last one may be unfinished (a prefix) unless the
        prefix ends in a space.
        """
        return []
