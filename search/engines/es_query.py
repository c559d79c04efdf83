"""Search requests as cluster request bodies (built with elasticsearch.dsl), and back.

One body for OpenSearch and Elasticsearch (dialects.py holds what differs). It follows the
shared rules (search/policy.py) and the embedded engine's query plan, so both engines answer alike:

- Text: the query is split into the thesaurus's concepts, as the embedded engine splits it; each
  concept matches its typed words (`combined_fields`, every word in some field: BM25F over the
  four fields with policy.FIELD_WEIGHTS as boosts) or any synonym as an exact phrase.
- Facets are disjunctive: selected values go in `post_filter`, so hits are filtered but the
  aggregations are not; each facet's counts are a filter aggregation under every *other*
  facet's selection, so a facet never hides its own alternatives.
- "Did you mean": a term suggester proposes index words within fuzziness AUTO's edit distance;
  acronyms, capitals, numbers, short words and thesaurus words are never corrected. When the
  text finds nothing, the engine retries once with the correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elasticsearch.dsl import A, Q, Search

from search import policy
from search import text as textmod
from search.facets import FACETS, FACETS_BY_NAME
from search.synonyms import Concept, Thesaurus

from .base import FacetValue, Hit, SearchRequest, SearchResponse
from .embedded import matched_row, plan_query
from .es_schema import AUTOCOMPLETE_MAX_GRAM, DERIVED_FIELDS, STEMS_ANALYZER, split_facet_key

QUERY_FIELDS = [f"{name}^{boost:g}" for name, boost in policy.FIELD_WEIGHTS.items()]
# Larger than any facet's number of values; a response that still leaves values out fails loudly.
FACET_TERMS_SIZE = 1000
SNIPPET_CHARACTERS = 200  # about the embedded engine's 32 words
SOURCE_EXCLUDES = ["body", *DERIVED_FIELDS]
# Partial matches: a full match scores this much on top of its text score, more than any text
# score reaches, so every full match is listed before the pages missing a concept. (Scores are
# float32: at 10,000 the step is 0.001, fine enough to keep the text order within each group.)
EXACT_FIRST_BOOST = 10_000.0
EXACT_QUERY_NAME = "exact"


class FacetsTruncated(RuntimeError):
    """A facet aggregation returned fewer values than exist."""


@dataclass(frozen=True)
class SpellingRules:
    """The embedded engine's query rules that need the thesaurus: which typed words may be
    corrected, and how many concepts a query has (for the "most words" retry)."""

    acronyms: frozenset[str] = frozenset()
    known_words: frozenset[str] = frozenset()
    thesaurus: Thesaurus = field(default_factory=Thesaurus, compare=False)

    @classmethod
    def current(cls) -> SpellingRules:
        from search.synonyms import get_thesaurus

        return cls.from_thesaurus(get_thesaurus())

    @classmethod
    def from_thesaurus(cls, thesaurus: Thesaurus) -> SpellingRules:
        return cls(frozenset(thesaurus.acronyms), frozenset(thesaurus.known_words), thesaurus)

    def may_correct(self, typed: str) -> bool:
        """policy.may_correct for one whitespace-separated token as typed."""
        folded = textmod.words(typed)
        if len(folded) != 1:
            return False
        return policy.may_correct(typed, folded[0], self.known_words | self.acronyms)


# --- request bodies ----------------------------------------------------------------------------


def concept_count(query_text: str, rules: SpellingRules) -> int:
    """Concepts as the embedded engine counts them, for policy.partial_matches: a known synonym
    phrase is one ("cot death support" is two concepts in three words)."""
    return len(rules.thesaurus.concepts(query_text or ""))


def concept_query(concept: Concept) -> Q:
    """One concept, as the embedded engine matches it: every typed word (stemmed, in any field,
    any order) or any synonym of the whole concept as an exact phrase.

    Synonyms are expanded here from the thesaurus, not by a synonym filter in the analyzer:
    under `operator: and`, OpenSearch's combined_fields makes every same-position synonym
    required ("father" became +dad +father and found nothing). Alternatives are thesaurus
    stems, matched with an analyzer that does not stem again.
    """
    typed = Q("combined_fields", query=" ".join(concept.words), fields=QUERY_FIELDS, operator="and")
    if not concept.alternatives:
        return typed
    phrases = [
        Q(
            "multi_match",
            query=" ".join(stems),
            fields=QUERY_FIELDS,
            type="phrase",
            analyzer=STEMS_ANALYZER,
        )
        for stems in concept.alternatives
    ]
    return Q("bool", should=[typed, *phrases], minimum_should_match=1)


def text_query(query_text: str, thesaurus: Thesaurus, relaxed: bool = False, by_score: bool = True):
    """What matches, plus the shared ranking rules (search/policy.py).

    Every concept must match (or, `relaxed`, all but one: the "most words" retry). Pages with
    the typed words together (as a phrase, anywhere and again in the title) score higher
    without changing what matches, and the type prior multiplies the score.
    """
    if not query_text:
        return Q("match_all")
    concepts = thesaurus.concepts(query_text)
    if not concepts:
        return Q("match_none")  # only punctuation or emoji typed: nothing matches, as embedded
    clauses = [concept_query(concept) for concept in concepts]
    strict = Q("bool", must=clauses)
    if relaxed:
        matches = Q("bool", should=clauses, minimum_should_match=len(clauses) - 1)
    else:
        matches = strict
    if len(textmod.words(query_text)) > 1:
        phrase = Q("multi_match", query=query_text, fields=QUERY_FIELDS, type="phrase")
        title_phrase = Q("match_phrase", title={"query": query_text})
        matches = Q("bool", must=[matches], should=[phrase, title_phrase])
    scored = Q(
        "function_score",
        query=matches,
        functions=[
            {"filter": Q("term", **{"type.value": type_key}), "weight": weight}
            for type_key, weight in policy.TYPE_BOOST.items()
        ],
        score_mode="first",
        boost_mode="multiply",
    )
    if not relaxed:
        return scored
    # The partial-match rule (policy.partial_matches): pages missing one concept match too,
    # and every full match gets EXACT_FIRST_BOOST (1 against 0 when sorting by date or title,
    # where `_score` is the first sort key), so full matches come first.
    exact = Q(
        "constant_score",
        filter=strict,
        boost=EXACT_FIRST_BOOST if by_score else 1.0,
        _name=EXACT_QUERY_NAME,
    )
    if by_score:
        return Q("bool", must=[scored], should=[exact])
    return Q("bool", filter=[matches], should=[exact])


def exact_query(query_text: str, thesaurus: Thesaurus):
    """Pages matching every concept (for the count the partial-match notice needs)."""
    return Q("bool", must=[concept_query(c) for c in thesaurus.concepts(query_text)])


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


def build_search(
    request: SearchRequest,
    rules: SpellingRules,
    query_text: str | None = None,
    relaxed: bool = False,
) -> Search:
    """The one request a search sends (`query_text` replaces the typed text on a retry)."""
    text = request.query if query_text is None else query_text
    by_score = request.sort == "relevance" and bool(text)
    relaxed = relaxed and bool(rules.thesaurus.concepts(text or ""))
    query = text_query(text, rules.thesaurus, relaxed=relaxed, by_score=by_score)
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
        exact = [exact_query(text, rules.thesaurus), *_filters_except(request, None)]
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
        if spellable and query_text is None:
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


# --- responses ---------------------------------------------------------------------------------


def parse_response(
    request: SearchRequest,
    raw: dict,
    rules: SpellingRules,
    unknown: dict | None = None,
    query_text: str | None = None,
) -> SearchResponse:
    """A SearchResponse from Elasticsearch's documented search response format.

    `unknown`: unknown_selections(request, raw), when the caller has it already. `query_text`:
    the text searched, when it is not the request's (a corrected retry).
    """
    if unknown is None:
        unknown = unknown_selections(request, raw)
    text = request.query if query_text is None else query_text
    raw_hits = raw.get("hits", {}).get("hits", [])
    plan = None
    if any((h.get("_source") or {}).get("rows") for h in raw_hits):
        plan = plan_query(text, rules.thesaurus)
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
    return response


def _total(raw: dict) -> int:
    total = raw.get("hits", {}).get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def _labels(terms) -> list[str]:
    return [term["label"] for term in terms or []]


def _snippet(highlight: dict) -> str:
    summary = (highlight.get("summary") or [""])[0]
    body = (highlight.get("body") or [""])[0]
    if "<mark>" in summary:
        return summary
    if "<mark>" in body:
        return f"\u2026 {body} \u2026"
    return summary or body


def _hit(raw_hit: dict, plan=None, partial: bool = False) -> Hit:
    source = raw_hit.get("_source", {})
    doc_type = (source.get("type") or [{"value": "", "label": ""}])[0]
    url = source.get("url") or ""
    # With partial matches listed, a full match is one whose named exact clause matched.
    exact = not partial or EXACT_QUERY_NAME in (raw_hit.get("matched_queries") or ())
    row = matched_row(source, plan, exact=exact) if plan else None
    if row:
        url, snippet = f"{url}#{row[0]}", row[1]
    else:
        snippet = _snippet(raw_hit.get("highlight", {}))
    return Hit(
        id=int(raw_hit["_id"]),
        title=source.get("title") or "",
        url=url,
        type=doc_type["label"],
        type_key=doc_type["value"],
        snippet=snippet,
        themes=_labels(source.get("themes")),
        areas=_labels(source.get("areas")),
        interventions=_labels(source.get("interventions")),
        year=source.get("year"),
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
