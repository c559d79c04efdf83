"""A query plan as one cluster request body (built with elasticsearch.dsl).

One body for OpenSearch and Elasticsearch (dialects.py holds what differs). It translates the
shared plan (search.query.plan) and follows the shared rules (search/policy.py):

- Text: each of the plan's concepts matches its typed words (`combined_fields`, every word in
  some field: BM25F over the four fields with policy.FIELD_WEIGHTS as boosts) or any synonym as
  an exact phrase.
- Facets are disjunctive: selected values go in `post_filter`, so hits are filtered but the
  aggregations are not; each facet's counts are a filter aggregation under every *other*
  facet's selection, so a facet never hides its own alternatives.
- "Did you mean": a term suggester proposes index words within fuzziness AUTO's edit distance;
  what may be corrected is search.query.spelling's rule.
"""

from __future__ import annotations

from elasticsearch.dsl import A, Q, Search

from search import policy
from search import text as textmod
from search.facets import FACETS, FACETS_BY_NAME
from search.query.plan import QueryPlan
from search.query.request import SearchRequest
from search.query.snippets import SNIPPET_CHARACTERS
from search.query.spelling import SpellingRules
from search.synonyms import Concept

from .mapping import AUTOCOMPLETE_MAX_GRAM, DERIVED_FIELDS, INDEX_ANALYZER, STEMS_ANALYZER

QUERY_FIELDS = [f"{name}^{boost:g}" for name, boost in policy.FIELD_WEIGHTS.items()]
# Larger than any facet's number of values; a response that still leaves values out fails loudly.
FACET_TERMS_SIZE = 1000
SOURCE_EXCLUDES = ["body", *DERIVED_FIELDS]
# The ranking tiers (policy, "Ranking tiers") as score: a page matching every counted concept
# adds FULL_MATCH_TIER, and each concept such a page holds in its own text OWN_TEXT_TIER, both
# more than any text score reaches, so the full matches come first, those with more concepts in
# their own text first among them, then every page by text score. (Scores are float32: at
# 50,000 the step is 0.004, fine enough to keep the text order within a tier; the own-text
# tiers stay below FULL_MATCH_TIER for queries of up to 24 concepts, more than a query holds.)
OWN_TEXT_TIER = 1_000.0
FULL_MATCH_TIER = 25_000.0
# A loosened plan's partial matches that meet its threshold (QueryPlan.threshold) rank above the
# others filling the page: below every full match, above any text score.
THRESHOLD_TIER = 12_500.0
EXACT_QUERY_NAME = "exact"
CONCEPT_QUERY_PREFIX = "concept-"
OWN_TEXT_FIELDS = [f"{name}^{policy.FIELD_WEIGHTS[name]:g}" for name in policy.OWN_TEXT_FIELDS]
# BM25's k1 (Lucene's and FTS5's default).
BM25_K1 = 1.2


def phrase_fields(fields) -> list[str]:
    """`fields` with each boost as the score one occurrence earns under BM25F's saturation
    (w (k1 + 1) / (w + k1): title 10 is 1.96, body 1 is 1). A phrase query scores each field on
    its own and multiplies by the boost, so a synonym or a boost phrase in a short title would
    otherwise count ten times a body's; the embedded engine's BM25 saturates the column weights
    of every phrase, as combined_fields does for the typed words."""
    saturated = []
    for field in fields:
        name, _, boost = field.partition("^")
        weight = float(boost or 1)
        saturated.append(f"{name}^{weight * (BM25_K1 + 1) / (weight + BM25_K1):.3g}")
    return saturated


PHRASE_FIELDS = phrase_fields(QUERY_FIELDS)


# --- request bodies ----------------------------------------------------------------------------


def concept_query(concept: Concept, fields=None) -> Q:
    """One concept, as the embedded engine matches it: every typed word (stemmed, in any field,
    any order) or any synonym of the whole concept as an exact phrase.

    Synonyms are expanded here from the thesaurus, not by a synonym filter in the analyzer:
    under `operator: and`, OpenSearch's combined_fields makes every same-position synonym
    required ("father" became +dad +father and found nothing). Alternatives are sent as their
    words and stemmed by the index's analyser, so they match the terms the index holds.
    """
    fields = fields or QUERY_FIELDS
    typed = Q("combined_fields", query=" ".join(concept.words), fields=fields, operator="and")
    if not concept.alternatives:
        return typed
    if concept.alternative_words:
        # As words, stemmed by the index's own analyser: Lucene's porter2 and PyStemmer differ
        # on a few words ("emergency"), so thesaurus stems would miss the index's terms.
        texts, analyzer = concept.alternative_words, INDEX_ANALYZER
    else:
        texts, analyzer = [" ".join(stems) for stems in concept.alternatives], STEMS_ANALYZER
    phrases = [
        Q(
            "multi_match",
            query=text,
            fields=phrase_fields(fields),
            type="phrase",
            analyzer=analyzer,
        )
        for text in texts
    ]
    return Q("bool", should=[typed, *phrases], minimum_should_match=1)


def text_query(plan: QueryPlan, by_score: bool = True):
    """What matches, plus the shared ranking rules (search/policy.py).

    A page must match `plan.required` of the counted concepts (every one, unless the plan
    lists partial matches: OpenSearch's minimum_should_match). Pages with the typed words
    together (as a phrase, anywhere and again in the title, and a long query's adjacent pairs
    of meaningful words) score higher without changing what matches, and the type prior multiplies the score. By score, the full
    matches come first (those with more concepts in the page's own text first), then every page
    by text score; by date or title, the pages matching every concept (1 against 0, `_score`
    being the first sort key).
    """
    if not plan.text:
        return Q("match_all")
    if not plan.concepts:
        return Q("match_none")  # only punctuation or emoji typed: nothing matches, as embedded
    clauses = [concept_query(concept) for concept in plan.meaningful]
    strict = Q("bool", must=clauses)
    if plan.partial:
        matches = Q("bool", should=clauses, minimum_should_match=plan.required)
    else:
        matches = strict
    if plan.phrase:
        phrase = Q("multi_match", query=plan.text, fields=PHRASE_FIELDS, type="phrase")
        title_phrase = Q("match_phrase", title={"query": plan.text})
        pairs = [
            Q("multi_match", query=" ".join(words), fields=PHRASE_FIELDS, type="phrase")
            for _stems, words in plan.pairs
        ]
        matches = Q("bool", must=[matches], should=[phrase, title_phrase, *pairs])
    scored = Q(
        "function_score",
        query=matches,
        functions=[
            {
                "filter": Q("term", **{"type.value": type_key}),
                "weight": policy.type_boost(type_key, plan.wanted_types),
            }
            for type_key in policy.TYPE_BOOST
        ],
        score_mode="first",
        boost_mode="multiply",
    )
    # Named, so a hit says whether it matched every concept (and which ones, for the notice).
    if not by_score:
        exact = Q("constant_score", filter=strict, boost=1.0, _name=EXACT_QUERY_NAME)
        return Q("bool", filter=[matches], should=[exact]) if plan.partial else scored
    exact = Q("constant_score", filter=strict, boost=FULL_MATCH_TIER, _name=EXACT_QUERY_NAME)
    tiers = [
        Q("constant_score", filter=clause, boost=0.0, _name=f"{CONCEPT_QUERY_PREFIX}{position}")
        for position, clause in enumerate(clauses)
    ]
    for concept in plan.meaningful:
        own = concept_query(concept, OWN_TEXT_FIELDS)
        tiers.append(
            Q("constant_score", filter=Q("bool", filter=[strict, own]), boost=OWN_TEXT_TIER)
        )
    if plan.threshold > plan.required:
        at_threshold = Q("bool", should=clauses, minimum_should_match=plan.threshold)
        tiers.append(Q("constant_score", filter=at_threshold, boost=THRESHOLD_TIER))
    return Q("bool", must=[scored], should=[exact, *tiers])


def exact_query(plan: QueryPlan):
    """Pages matching every counted concept (for the count the best-match notice needs)."""
    return Q("bool", must=[concept_query(c) for c in plan.meaningful])


def frequencies_body(plan: QueryPlan) -> dict:
    """One request for how many pages hold each counted concept, and how many pages there are
    (QueryPlan.counting)."""
    search = Search().extra(size=0, track_total_hits=True)
    for position, concept in enumerate(plan.meaningful):
        search.aggs.bucket(f"{CONCEPT_QUERY_PREFIX}{position}", "filter", concept_query(concept))
    return search.to_dict()


def facet_filter(facet_name: str, values) -> Q:
    facet = FACETS_BY_NAME[facet_name]
    return Q("terms", **{f"{facet.field}.value": list(values)})


def _filters_except(request: SearchRequest, excluded: str | None) -> list:
    return [
        facet_filter(name, values)
        for name, values in request.filters.items()
        if name != excluded and values
    ]


def _all_of(filters: list) -> Q:
    return Q("bool", filter=filters) if filters else Q("match_all")


def build_search(request: SearchRequest, plan: QueryPlan, rules: SpellingRules) -> Search:
    """The one request a search sends for a plan (a retry's plan holds the corrected text)."""
    text = plan.text
    by_score = request.sort == "relevance" and bool(text)
    relaxed = plan.partial and bool(plan.concepts)
    query = text_query(plan, by_score=by_score)
    search = Search().query(query).extra(track_total_hits=True)
    if request.filters:
        search = search.post_filter(_all_of(_filters_except(request, None)))
    for facet in FACETS:
        counts = A("filter", _all_of(_filters_except(request, facet.name)))
        counts.bucket(
            "values",
            "terms",
            field=f"facet_keys.{facet.name}",
            size=FACET_TERMS_SIZE,
            min_doc_count=1,
        )
        search.aggs.bucket(facet.name, counts)
    if request.filters:
        # Which selected values exist at all, with their labels, whatever else is selected.
        known = search.aggs.bucket("selected", "global")
        for name, values in request.filters.items():
            known.bucket(name, "filter", facet_filter(name, values)).bucket(
                "values", "terms", field=f"facet_keys.{name}", size=FACET_TERMS_SIZE
            )
    full_first = []
    if relaxed:
        # How many pages match every concept, under every filter (the notice needs it).
        exact = [exact_query(plan), *_filters_except(request, None)]
        search.aggs.bucket(EXACT_QUERY_NAME, "filter", Q("bool", filter=exact))
        if not by_score:
            full_first = [{"_score": {"order": "desc"}}]
    keys = sort_clauses(policy.sort_keys(request.sort, has_text=bool(text)))
    search = search.sort(*full_first, *keys)
    # Snippets: the best passage with matches in <mark>, text HTML-escaped; without a match
    # (or without text) the start of the field, as the embedded engine shows.
    search = search.highlight_options(
        encoder="html",
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        fragment_size=SNIPPET_CHARACTERS,
        number_of_fragments=1,
        no_match_size=SNIPPET_CHARACTERS,
    ).highlight("summary", "body")
    if text:
        spellable = [word for word in text.split() if rules.may_correct(word)]
        if spellable and text == request.query:  # the suggester runs on what was typed
            search = search.suggest(
                "did_you_mean",
                text,
                term={
                    "field": "spelling",
                    "suggest_mode": "missing",
                    "max_edits": policy.MAX_EDITS,
                    "prefix_length": 0,
                    "min_word_length": policy.MIN_CORRECTED_LENGTH,
                    "string_distance": "damerau_levenshtein",
                    "sort": "score",
                    "size": 3,
                },
            )
    search = search.source(excludes=SOURCE_EXCLUDES)
    start = request.offset
    if start + request.page_size > 10_000:
        # Beyond Elasticsearch's result window: counts and facets only, like a page past the end.
        return search.extra(from_=0, size=0)
    return search[start : start + request.page_size]


def sort_clauses(keys) -> list:
    """policy.SORT_KEYS as sort clauses; descending keys put missing values last."""
    clauses = []
    for key, direction in keys:
        if key == "score":
            clauses.append("_score")
        elif direction == "desc":
            clauses.append({key: {"order": "desc", "missing": "_last"}})
        else:
            clauses.append({key: {"order": direction}})
    return clauses


def build_autocomplete(prefix: str, limit: int) -> Search | None:
    """Titles holding the typed words, the last one as a prefix (unless a space follows it)."""
    typed = textmod.words(prefix)
    if not typed or limit < 1:
        return None
    finished = prefix[-1:].isspace()
    complete, partial = (typed, None) if finished else (typed[:-1], typed[-1])
    clauses = [Q("match", **{"title.words": word}) for word in complete]
    if partial:
        clauses.append(Q("match", **{"title.autocomplete": partial[:AUTOCOMPLETE_MAX_GRAM]}))
    search = Search().query(Q("bool", must=clauses)).source(["title"])
    return search.sort("_score", {"title_key": {"order": "asc"}})[:limit]
