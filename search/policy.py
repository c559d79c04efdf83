"""The search rules every engine shares, in one place.

The embedded engine (SQLite FTS5) and the cluster engine (OpenSearch or Elasticsearch) each
turn these rules into their own query language, and read nothing else for them: a rule changed
here changes both, and the shared contract (tests/search/contract.py) checks that each engine
follows it. Nothing here knows about an engine, a server or a database.
"""

from __future__ import annotations

import hashlib
import json
import math

from search import facets
from search import text as textmod

# --- ranking -----------------------------------------------------------------------------------

# Per-field weights, in the embedded engine's column order: title > summary > taxonomy labels >
# body. BM25 column weights in FTS5; field boosts in the cluster's combined_fields (BM25F).
FIELD_WEIGHTS = {"title": 10.0, "summary": 5.0, "taxonomy": 2.5, "body": 1.0}
# The document fields whose facet labels make up the "taxonomy" field (plus `regions`): every
# facet's, from search/facets.py.
TAXONOMY_FIELDS = facets.TAXONOMY_FIELDS
# A prior by type, multiplied into the text score: local practice and the theme evidence hubs are
# what the knowledge base exists for, so on equal text they come before listings of external
# resources. Area pages hold little more than a place name, so they only match place names:
# there, the area page itself should come first.
TYPE_BOOST = {"case_study": 1.5, "evidence_summary": 1.4, "area": 1.6, "resource": 1.0, "news": 0.8}
DEFAULT_TYPE_BOOST = 1.0


# A query naming the kind of page it wants ("which guidelines…", "what has worked elsewhere",
# search/wanted_types.txt) multiplies that kind's prior by this: enough to put guidance above a
# case study with somewhat more of the words, not to lift a page that barely matches.
WANTED_TYPE_BOOST = 1.3


def type_boost(type_key: str, wanted=()) -> float:
    """A page type's prior, times WANTED_TYPE_BOOST when the query names it (`wanted`)."""
    boost = TYPE_BOOST.get(type_key, DEFAULT_TYPE_BOOST)
    return boost * WANTED_TYPE_BOOST if type_key in wanted else boost


# --- best match --------------------------------------------------------------------------------

# Words that carry no topic (search/stopwords.txt: question words, fillers) never count against
# a page. Of the other concepts of a query, a page must match required_concepts(n): all of one,
# all but one of two to four, and a share of longer queries, as OpenSearch's
# minimum_should_match "4<60%" does (rounded up here, and passed to the cluster as a number).
# So a 15-word question finds the pages that match most of its meaningful words.
ALL_BUT_ONE_UP_TO = 4
LONG_QUERY_SHARE = 0.6


def required_concepts(count: int) -> int:
    """How many of a query's `count` meaningful concepts a page must match."""
    if count <= 1:
        return count
    if count <= ALL_BUT_ONE_UP_TO:
        return count - 1
    return math.ceil(count * LONG_QUERY_SHARE)


# The threshold is for telling pages apart, not for hiding the best answers: when fewer pages
# reach it than a page of results shows (FEW_MATCHES), the search lists every page matching a
# counted concept instead, full matches first and then by text score (QueryPlan.loosened), as
# it does when none reaches it. A 15-word description of a local problem often holds generic
# words ("before", "visit", "well", "track", "worst") that the page answering it does not use:
# "…we want a self assessment tool to score how well our partnership is doing…" must find the
# self-assessment matrix, not three pages holding "team", "visit" and "partnership".
FEW_MATCHES = facets.PAGE_SIZE


def too_few_matches(total: int, required: int) -> bool:
    """Whether a search whose pages must match `required` concepts found too few of them, so
    the best partial matches are listed instead."""
    return required > 1 and total < FEW_MATCHES


# In a long query, pairs of meaningful words typed next to each other ("pregnant women", "quit
# smoking", "infant deaths", "genetic conditions") are phrase boosts too, as in the sequential
# dependence model for verbose queries: a page saying what was typed, two words at a time,
# ranks above one that has the same words scattered. They change the ranking, never what
# matches. Shorter queries have the whole typed phrase as their boost already.
PAIR_BOOSTS_FROM = 5


# A concept held by more than this share of the pages is common: it scores, but is not
# required and does not count for the tiers (Lucene's cutoff_frequency idea): in "families on
# our estates ... what intensive family support has been tried", "support" and "families"
# are on most pages and cannot tell them apart.
COMMON_SHARE = 0.3


def is_common(pages_holding: int, pages: int) -> bool:
    return pages > 0 and pages_holding > COMMON_SHARE * pages


def partial_matches(concept_count: int, exact_total: int | None = None, total: int = 0):
    """Whether pages missing a concept are listed (after every page matching all), for a query
    of `concept_count` meaningful concepts. With `exact_total`: whether the response needs the
    best-match notice (some pages, none matching every concept)."""
    if exact_total is None:
        return required_concepts(concept_count) < concept_count
    return exact_total == 0 and total > 0


# Ranking tiers, the same in every engine: pages matching every counted concept first; among
# them, those whose own text (title, summary, body) holds more of the concepts, so a page that
# discusses a word ranks above pages that only carry it as a topic label (a concept matched
# only by a label still makes a page findable). Then the partial matches meeting the threshold
# (required_concepts); then, when they are fewer than FEW_MATCHES, the other partial matches
# filling the page. Within each tier pages are ordered by text score (BM25: each concept
# weighed by how rare it is, and by the page's length) times the type prior, not by a count
# of the concepts they hold: a page holding "Bradford" and "babies" comes before one holding
# "looked", "babies" and "die" when both meet the threshold.
OWN_TEXT_FIELDS = ("title", "summary", "body")


# --- spelling ----------------------------------------------------------------------------------

# Shorter words are never corrected: too many real words lie one edit from them.
MIN_CORRECTED_LENGTH = 4
# Words up to this length may be one edit away from their correction; longer words two.
ONE_EDIT_UP_TO = 5
MAX_EDITS = 2


def edit_limit(word: str) -> int:
    """How many edits a correction of `word` may make (fuzziness AUTO for words of 4 or more)."""
    return 1 if len(word) <= ONE_EDIT_UP_TO else MAX_EDITS


# Operators of other search engines, often typed in capitals ("housing NOT London"): searched as
# words, never as operators, and not acronyms.
OPERATOR_WORDS = frozenset({"and", "or", "not"})


def typed_as_acronym(typed: str) -> bool:
    """Whether a word was typed in capitals ("IT", "US"): an acronym, known or not. It is never
    spell-corrected, and never a stop word ("IT skills" against "is it safe")."""
    return typed.isupper() and len(typed) >= 2 and typed.lower() not in OPERATOR_WORDS


def may_correct(typed: str, word: str, thesaurus_words) -> bool:
    """Whether `word` (one folded word of the token `typed`, as the user typed it) may be
    replaced by a spelling correction.

    Never: words typed in capitals (acronyms, known or not), numbers and words with digits,
    short words, and words the thesaurus knows (every word of the synonyms file and the
    glossary, so every acronym in either, however it is typed). Engines add one more rule of
    their own data: a word the index holds is not misspelt.
    """
    if typed_as_acronym(typed):
        return False
    return len(word) >= MIN_CORRECTED_LENGTH and word.isalpha() and word not in thesaurus_words


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions), giving up above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def correction_distance(word: str, candidate: str) -> int | None:
    """The edits from `word` to `candidate` if that is an acceptable correction, else None.

    Within edit_limit(word); and a correction of more than one edit keeps the first letter
    (Lucene's spell checker, which the cluster's suggester runs, only looks there).
    """
    limit = edit_limit(word)
    distance = edit_distance(word, candidate, limit)
    if distance > limit or (distance > 1 and word[:1] != candidate[:1]):
        return None
    return distance


def within_edit_limit(word: str, candidate: str) -> bool:
    return correction_distance(word, candidate) is not None


# --- drift -------------------------------------------------------------------------------------


def canonical_json(document: dict) -> bytes:
    """A flat document as JSON with sorted keys and no spaces: the same bytes for the same
    content, so an engine can store them and fingerprint them without serialising twice."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), default=str).encode()


def checksum(document: dict, canonical: bytes | None = None) -> str:
    """A fingerprint of a flat document; an indexed copy whose fingerprint differs is stale.
    `canonical` is `canonical_json(document)` when the caller has it already."""
    return hashlib.sha1(canonical or canonical_json(document)).hexdigest()


# --- sorting -----------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """Sort key for "Title A to Z": case and accents ignored, leading quotes and 'The ' too."""
    key = " ".join(textmod.words(title))
    return key[4:] if key.startswith("the ") else key


def sort_date(document: dict) -> str | None:
    """Sort key for "Newest first": the date, else the year; None sorts last."""
    if document.get("date"):
        return str(document["date"])
    if document.get("year"):
        return f"{int(document['year']):04d}"
    return None


# Each sort as (key, direction) pairs, ties broken left to right; "score" is the text score.
# Descending keys put documents without a value last. Relevance without text means newest.
SORT_KEYS = {
    "relevance": (("score", "desc"), ("id", "asc")),
    "newest": (("sort_date", "desc"), ("title_key", "asc"), ("id", "asc")),
    "title": (("title_key", "asc"), ("id", "asc")),
}


def sort_keys(sort: str, has_text: bool) -> tuple[tuple[str, str], ...]:
    if sort == "relevance" and not has_text:
        sort = "newest"
    return SORT_KEYS[sort]


def facet_value_order(value) -> tuple:
    """How a facet's values are listed: most pages first, then by label, then by slug."""
    return (-value.count, value.label.casefold(), value.value)


# --- notices -----------------------------------------------------------------------------------

PARTIAL_NOTICE = "No page matched every word you typed"


def best_match_notice(matched_words) -> str:
    """The notice over best matches, naming the words the first of them matched."""
    listed = [f"\u201c{word}\u201d" for word in matched_words]
    if not listed:
        return f"{PARTIAL_NOTICE}."
    named = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return f"{PARTIAL_NOTICE}. The best matches have {named}."


NO_RESULTS_ADVICE = "Try fewer or different words, check the spelling, or browse by theme."
FALLBACK_NOTICE = (
    "Search is running in reduced mode: the search cluster is unavailable, so these results "
    "come from the built-in index."
)


def unknown_value_notice(facet_label: str, value: str) -> str:
    return f"Ignored unknown {facet_label.lower()} \u201c{value}\u201d."
