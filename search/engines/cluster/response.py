"""A cluster's search response (Elasticsearch's documented format, which OpenSearch shares)
as a SearchResponse: hits built by search.query.results, facets, unknown selections and the
suggester's correction."""

from __future__ import annotations

from search import policy
from search.facets import FACETS
from search.query.plan import QueryPlan
from search.query.request import SearchRequest
from search.query.results import FacetValue, SearchResponse, build_hit
from search.query.spelling import SpellingRules

from .mapping import split_facet_key
from .query import CONCEPT_QUERY_PREFIX, EXACT_QUERY_NAME, FACET_TERMS_SIZE


class FacetsTruncated(RuntimeError):
    """A facet aggregation returned fewer values than exist."""


def parse_response(
    request: SearchRequest,
    raw: dict,
    plan: QueryPlan,
    rules: SpellingRules,
    unknown: dict | None = None,
) -> SearchResponse:
    """A SearchResponse from Elasticsearch's documented search response format, for a search
    of `plan` (the typed text, or a corrected retry's).

    `unknown`: unknown_selections(request, raw), when the caller has it already.
    """
    if unknown is None:
        unknown = unknown_selections(request, raw)
    raw_hits = raw.get("hits", {}).get("hits", [])
    total = _total(raw)
    aggregations = raw.get("aggregations", {})
    partial = EXACT_QUERY_NAME in aggregations
    response = SearchResponse(
        request=request,
        engine="elasticsearch",
        total=total,
        hits=[_hit(hit, plan, partial) for hit in raw_hits],
        facets=_facets(request, aggregations, unknown),
        suggestion=_suggestion(request.query, raw.get("suggest", {}), rules),
        exact_total=aggregations.get(EXACT_QUERY_NAME, {}).get("doc_count", total),
    )
    if raw_hits:
        named = raw_hits[0].get("matched_queries") or ()
        response.matched_words = plan.words_of(
            int(name[len(CONCEPT_QUERY_PREFIX) :])
            for name in named
            if name.startswith(CONCEPT_QUERY_PREFIX)
        )
    return response


def parse_frequencies(plan: QueryPlan, raw: dict) -> tuple[list[int], int]:
    """(pages holding each counted concept, pages in the index) from frequencies_body's answer."""
    aggregations = raw.get("aggregations", {})
    counts = [
        int(aggregations[f"{CONCEPT_QUERY_PREFIX}{position}"]["doc_count"])
        for position in range(len(plan.meaningful))
    ]
    return counts, _total(raw)


def _total(raw: dict) -> int:
    total = raw.get("hits", {}).get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def _snippet(highlight: dict) -> str:
    summary = (highlight.get("summary") or [""])[0]
    body = (highlight.get("body") or [""])[0]
    if "<mark>" in summary:
        return summary
    if "<mark>" in body:
        return f"\u2026 {body} \u2026"
    return summary or body


def _hit(raw_hit: dict, plan: QueryPlan, partial: bool = False):
    source = raw_hit.get("_source", {})
    # With partial matches listed, a full match is one whose named exact clause matched.
    exact = not partial or EXACT_QUERY_NAME in (raw_hit.get("matched_queries") or ())
    return build_hit(
        int(raw_hit["_id"]),
        source,
        plan,
        exact=exact,
        passage=lambda: _snippet(raw_hit.get("highlight", {})),
        score=float(raw_hit.get("_score") or 0.0),
    )


def _buckets(aggregation: dict, name: str) -> list[dict]:
    terms = aggregation.get("values", {})
    if terms.get("sum_other_doc_count", 0):
        raise FacetsTruncated(
            f"facet {name!r} has more values than FACET_TERMS_SIZE={FACET_TERMS_SIZE}; "
            f"{terms['sum_other_doc_count']} documents were left out of its counts"
        )
    return terms.get("buckets", [])


def unknown_selections(request: SearchRequest, raw: dict) -> dict[str, list[str]]:
    """Selected values that no document has (the embedded engine ignores them with a warning)."""
    known = raw.get("aggregations", {}).get("selected", {})
    unknown = {}
    for name, values in request.filters.items():
        present = {split_facet_key(b["key"])[0] for b in _buckets(known.get(name, {}), name)}
        missing = [value for value in values if value not in present]
        if missing:
            unknown[name] = missing
    return unknown


def _facets(request: SearchRequest, aggregations: dict, unknown: dict) -> dict:
    selected_labels = {}
    for name in request.filters:
        for bucket in _buckets(aggregations.get("selected", {}).get(name, {}), name):
            value, label = split_facet_key(bucket["key"])
            selected_labels[(name, value)] = label
    facets = {}
    for facet in FACETS:
        selected = set(request.filters.get(facet.name, ())) - set(unknown.get(facet.name, ()))
        counts: dict[str, FacetValue] = {}
        for bucket in _buckets(aggregations.get(facet.name, {}), facet.name):
            value, label = split_facet_key(bucket["key"])
            if value in counts:  # a label changed and only some documents are reindexed yet
                counts[value].count += bucket["doc_count"]
                continue
            counts[value] = FacetValue(value, label, bucket["doc_count"], value in selected)
        for value in selected - set(counts):
            label = selected_labels.get((facet.name, value), value)
            counts[value] = FacetValue(value, label, 0, True)
        listed = sorted(counts.values(), key=policy.facet_value_order)
        facets[facet.name] = listed
    return facets


def _suggestion(query: str, suggest: dict, rules: SpellingRules) -> str | None:
    """The typed text with correctable words replaced by the best option within AUTO's edits."""
    entries = suggest.get("did_you_mean") or []
    replacements = []
    for entry in entries:
        start, length = entry.get("offset", 0), entry.get("length", 0)
        typed = query[start : start + length]
        if not rules.may_correct(typed):
            continue
        for option in entry.get("options") or []:
            if policy.within_edit_limit(typed.casefold(), option["text"]):
                replacements.append((start, length, option["text"]))
                break
    if not replacements:
        return None
    corrected = query
    for start, length, text in sorted(replacements, reverse=True):
        corrected = corrected[:start] + text + corrected[start + length :]
    return corrected


def parse_autocomplete(raw: dict) -> list[str]:
    return [hit["_source"]["title"] for hit in raw.get("hits", {}).get("hits", [])]
