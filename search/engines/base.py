"""The engine contract, and the one search flow every engine runs.

Views, the API, the CLI and index maintenance talk only to this. A request is validated once
(search.query.request), so every engine receives clean input and every caller gets the same
errors and warnings. `SearchEngine.search` is the flow: the facet selections, then the answer,
then the spelling retry, then the notices; an engine supplies only the steps that read its own
storage (ADR 0005).
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
from dataclasses import dataclass, field

from search import policy
from search.facets import FACETS_BY_NAME
from search.query.plan import QueryPlan, plan_query
from search.query.request import InvalidSearchRequest, SearchRequest  # noqa: F401
from search.query.results import FacetValue, Hit, SearchResponse  # noqa: F401
from search.synonyms import Thesaurus, get_thesaurus


class EngineUnavailable(RuntimeError):
    """The engine cannot answer (e.g. a cluster is unreachable); callers may fall back."""

    retry_after = 30  # seconds a client should wait before asking again (Retry-After)


class IndexUnavailable(EngineUnavailable):
    """The local index file is missing, corrupt or not built yet: a rebuild brings it back.

    Pages say "search is being rebuilt" and the API answers 503 with Retry-After; the scheduled
    `search_index update` rebuilds it.
    """

    retry_after = 60


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


def without_values(request: SearchRequest, unknown: dict[str, list[str]]) -> SearchRequest:
    """The request without the facet values no page has."""
    return dataclasses.replace(
        request,
        filters={
            name: kept
            for name, values in request.filters.items()
            if (kept := tuple(v for v in values if v not in unknown.get(name, ())))
        },
    )


def unknown_value_notices(unknown: dict[str, list[str]]) -> list[str]:
    return [
        policy.unknown_value_notice(FACETS_BY_NAME[name].label, value)
        for name, values in unknown.items()
        for value in values
    ]


class SearchEngine(abc.ABC):
    name: str = "abstract"
    # The local index this engine keeps beside its primary (the cluster's embedded fallback);
    # None for an engine that is its own index.
    fallback: SearchEngine | None = None
    # The circuit breaker a wrapper keeps for its primary (search.resilience); None otherwise.
    breaker = None

    @abc.abstractmethod
    def index_documents(self, documents: list[dict]) -> None:
        """Add or replace these documents (by id)."""

    @abc.abstractmethod
    def delete(self, ids: list[int]) -> None:
        """Remove these ids; unknown ids are ignored."""

    @abc.abstractmethod
    def rebuild(self, documents) -> int:
        """Replace the whole index with these documents; return how many were indexed."""

    @abc.abstractmethod
    def check(self, documents: list[dict]) -> CheckReport:
        """Compare the index with the documents the published pages produce now."""

    @abc.abstractmethod
    def explain(self, request: SearchRequest) -> dict:
        """What a search for this request would run, for `kb_search --show-query`."""

    def replay_outbox(self, batch_size: int | None = None, max_batches: int | None = None):
        """Send the updates a primary index missed (the cluster's outbox); None when this
        engine keeps no outbox."""
        return None

    def health(self) -> dict:
        """Cheap facts for /healthz (e.g. the document count); raises EngineUnavailable."""
        return {}

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles that complete a prefix, for suggestions as you type.

        Every word must be in the title; the last one may be unfinished (a prefix) unless the
        prefix ends in a space.
        """
        return []

    # --- the search flow ---------------------------------------------------------------------

    @property
    def thesaurus(self) -> Thesaurus:
        return get_thesaurus()

    def search(self, request: SearchRequest) -> SearchResponse:
        """Answer a validated request: selections, the answer, the spelling retry, the notices.

        Unknown facet values are dropped with a notice (the response's request stays as typed);
        an unknown value ORed with known ones changes nothing, and a facet left with no known
        value stops filtering. Concepts no page holds, or most pages hold, stop counting
        (QueryPlan.counting). When fewer than policy.FEW_MATCHES (a page of results) reach the threshold, the
        best pages are shown anyway (QueryPlan.loosened). When no page matches every word, a correction is tried once: it
        answers if it has full matches, and is offered only if it finds more.
        """
        typed = request
        plan = plan_query(request.query, self.thesaurus)
        with self.reading() as reader:
            request, unknown = self.selections(reader, request)
            frequencies = self.concept_frequencies(reader, plan)
            if frequencies is not None:
                plan = plan.counting(*frequencies)
            response, found = self.answer(reader, request, plan)
            if found:  # an engine that learns unknown values from its answer
                unknown = found
                cleaned = without_values(request, unknown)
                if set(cleaned.filters) != set(request.filters):
                    response, _ = self.answer(reader, cleaned, plan)
                request = cleaned
            if policy.too_few_matches(response.total, plan.required):
                # Never silently empty, nor nearly: the pages matching most of the words.
                response = self.answer(reader, request, plan.loosened())[0]
            if plan.absent:
                response.exact_total = 0  # some word typed is on no page
            correction = None
            if not response.exact_total and plan.concepts:
                correction = self.correction(reader, request.query, response)
            response.suggestion = None
            if correction:
                response = self._corrected(reader, request, response, correction)
        notice = None
        if policy.partial_matches(len(plan.counted), response.exact_total, response.total):
            notice = policy.best_match_notice(response.matched_words)
        response.warnings = [
            *unknown_value_notices(unknown),
            *response.warnings,
            *([notice] if notice else []),
        ]
        response.engine = self.name
        response.request = typed  # as typed: links (paging, feeds) keep what the user chose
        return response

    def _corrected(self, reader, request, response, correction):
        """The spelling retry: a correction is offered only when it finds more than what was
        typed, and answers instead when it has full matches and the typed query has none."""
        plan = plan_query(correction, self.thesaurus)
        frequencies = self.concept_frequencies(reader, plan)
        if frequencies is not None:
            plan = plan.counting(*frequencies)
        retry = self.answer(reader, request, plan)[0]
        if policy.too_few_matches(retry.total, plan.required):
            retry = self.answer(reader, request, plan.loosened())[0]
        if plan.absent:
            retry.exact_total = 0
        if (retry.exact_total or 0) > (response.exact_total or 0) and retry.exact_total:
            retry.suggestion = correction
            retry.corrected_from = request.query
            return retry
        if retry.total > response.total:
            response.suggestion = correction
        return response

    def reading(self) -> contextlib.AbstractContextManager:
        """What one search reads through (a connection, a snapshot), passed to each step."""
        return contextlib.nullcontext()

    def selections(self, reader, request: SearchRequest):
        """(the request without unknown facet values, those values by facet). An engine that
        cannot tell before answering returns the request as it is, and `answer` reports them."""
        return request, {}

    def concept_frequencies(self, reader, plan: QueryPlan) -> tuple[list[int], int] | None:
        """How many pages hold each counted concept of the plan, and how many pages there are
        (None: the engine cannot say), for QueryPlan.counting."""
        return None

    def answer(self, reader, request: SearchRequest, plan: QueryPlan):
        """(one page of results with counts and facets, unknown facet values found by answering)."""
        raise NotImplementedError

    def correction(self, reader, query: str, response: SearchResponse) -> str | None:
        """The query with misspelt words corrected, or None (by default the answer's own)."""
        return response.suggestion
