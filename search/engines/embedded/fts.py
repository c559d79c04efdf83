"""A query plan in FTS5's language: MATCH expressions and the SQL that picks a page of results.

Every term is quoted, so FTS operators, brackets, `*`, `^` and column filters are just text.
"""

from __future__ import annotations

from dataclasses import dataclass

from search import policy
from search.query.plan import QueryPlan
from search.query.request import SearchRequest
from search.synonyms import Concept

from .bitmaps import TypePriors, flags_blob, ids_json


def _quote(phrase) -> str:
    # Stems are letters and digits only, so quoting them can never break the FTS5 syntax.
    return '"' + " ".join(phrase) + '"'


def concept_expression(concept: Concept) -> str:
    """The typed words (all of them, any order) OR any synonym phrase."""
    typed = " AND ".join(_quote((stem,)) for stem in concept.typed)
    if not concept.alternatives:
        return typed
    options = [f"({typed})" if len(concept.typed) > 1 else typed]
    options += [_quote(phrase) for phrase in concept.alternatives]
    return "(" + " OR ".join(options) + ")"


OWN_TEXT_COLUMNS = "{" + " ".join(policy.OWN_TEXT_FIELDS) + "}"


@dataclass(frozen=True)
class FtsQuery:
    """A plan's MATCH expressions. Only the concepts that count are matched; the phrase boost
    holds every typed word."""

    plan: QueryPlan
    match: str | None  # the full matches, with phrase boosts; None when there is no text
    # The full matches without the phrase clauses that only change ranking.
    filter_match: str | None = None
    # Pages matching any counted concept, with phrase boosts: ranks the tiers below the top.
    any_match: str | None = None
    concept_matches: tuple[str, ...] = ()  # one per counted concept
    own_text_matches: tuple[str, ...] = ()  # the same, in the page's own text only

    @property
    def concepts(self):
        return self.plan.concepts

    @property
    def match_selects_full(self) -> bool:
        """Whether `match` alone selects the full matches: a long query's pair boosts also
        match pages that hold a pair but miss a concept, so its pages are passed as ids."""
        return not self.plan.pairs

    @property
    def matches_nothing(self):
        return self.plan.matches_nothing


def _with_phrase_boosts(match: str, phrase, pairs=()) -> str:
    """Add the typed words as a phrase, anywhere and in the title, and a long query's adjacent
    pairs of meaningful words (QueryPlan.pairs) as phrases.

    Each phrase implies words already matched, so the pages matched do not change, but BM25
    scores each phrase too: pages with the words together rank above pages with them apart,
    and a title that says exactly what was typed ranks above a body that mentions it.
    """
    if not phrase:
        return match
    quoted = _quote(phrase)
    boosts = "".join(f" OR {_quote(stems)}" for stems, _words in pairs)
    return f"({match}) OR {quoted} OR title : {quoted}{boosts}"


def translate(plan: QueryPlan) -> FtsQuery:
    """The plan as FTS5 MATCH expressions."""
    if not plan.concepts:
        return FtsQuery(plan=plan, match=None)
    expressions = tuple(concept_expression(c) for c in plan.meaningful)
    strict = " AND ".join(expressions)
    either = " OR ".join(expressions)
    return FtsQuery(
        plan=plan,
        match=_with_phrase_boosts(strict, plan.phrase, plan.pairs),
        filter_match=strict,
        any_match=_with_phrase_boosts(either, plan.phrase, plan.pairs),
        concept_matches=expressions,
        own_text_matches=tuple(f"{OWN_TEXT_COLUMNS} : ({e})" for e in expressions),
    )


def order_by(keys, id_column: str, score: str | None = None) -> str:
    """policy.SORT_KEYS as an ORDER BY clause; `score` is the relevance score's SQL (lower is
    better, as FTS5's rank)."""
    clauses = []
    for key, direction in keys:
        if key == "score":
            clauses.append(score)  # best first: ascending
        elif key == "id":
            clauses.append(f"{id_column}{' DESC' if direction == 'desc' else ''}")
        elif direction == "desc":
            clauses.append(f"docs.{key} IS NULL, docs.{key} DESC")
        else:
            clauses.append(f"docs.{key}")
    return ", ".join(clauses)


def page_query(
    request: SearchRequest,
    match: str | None,
    allowed: int | None,
    window=None,
    *,
    priors: TypePriors,
    wanted=(),
) -> tuple[str, list]:
    """The SQL (and parameters) that picks one page of results, in order, from the pages in
    `allowed` (a bitmap; None: every page `match` finds, or every page without text).
    `match` ranks them (relevance with text) and, with no `allowed`, selects them; `window`
    is (limit, offset) when it is not the request's page; `priors` are the pages' type priors, raised for the `wanted` type keys."""
    where, params = [], []
    use_fts = match is not None and request.sort == "relevance"
    id_column = "fts.rowid" if use_fts else "docs.id"
    keys = policy.sort_keys(request.sort, has_text=match is not None)
    if use_fts:
        # FTS5 alone: each row it finds is checked against the tier in place and scored with
        # its type prior read from a byte per page id (TypePriors), with no join on docs.
        source = "fts"
        where.append("fts MATCH ?")
        params.append(match)
        # The pages of this tier under the filters, worked out from bitmaps already (or every
        # page), as one flag byte per page id: ranking scores only these rows, with no id list
        # to write, parse and index (a list of thousands of ids cost a millisecond or two per
        # search). Not a rowid constraint, which SQLite would hand to FTS5 to re-run the MATCH
        # per id.
        where.append(f"substr(?, {id_column} + 1, 1) = x'31'")
        params.append(priors.pages if allowed is None else flags_blob(allowed))
        score, score_params = priors.score(id_column, wanted)
        order = order_by(keys, id_column, score)
        params += score_params
    else:
        source = "docs"
        if match is not None and allowed is None:
            where.append("docs.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(match)
        if allowed is not None:
            # Walking the docs in sort order, a sparse tier would test every row: look its ids
            # up. A subquery per facet had SQLite build each facet's page list again on every
            # search.
            where.append(f"+{id_column} IN (SELECT value FROM json_each(?))")
            params.append(ids_json(allowed))
        order = order_by(keys, id_column)
    sql = f"SELECT {id_column} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
    params += list(window or (request.page_size, request.offset))
    return sql, params
