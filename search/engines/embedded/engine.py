"""The embedded engine: SQLite FTS5 in its own index file, with stemming, synonyms and facets.

It needs no server and works whatever the main database is. It runs the shared search flow
(SearchEngine.search) and translates each plan into FTS5 (fts.py); the file itself is
index_file.py, the facet bitmaps bitmaps.py.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
from pathlib import Path
from typing import NamedTuple

from search import policy
from search import text as textmod
from search.engines.base import (
    CheckReport,
    FacetValue,
    Hit,
    SearchEngine,
    SearchRequest,
    SearchResponse,
    unknown_value_notices,
    without_values,
)
from search.facets import FACETS
from search.query.plan import plan_query
from search.query.results import build_hit
from search.query.snippets import snippet
from search.query.spelling import Speller, SpellingRules, corrected_query
from search.synonyms import Thesaurus, get_thesaurus

from .bitmaps import IndexState, Tiers, bitmap_from_flags, bitmap_from_list, ids_json
from .fts import page_query, translate
from .index_file import IndexFile, guarded
from .rows import available_cores, prepare, unpack

logger = logging.getLogger(__name__)


class Reader(NamedTuple):
    """What one search reads: the connection, in a read transaction, and the cached state."""

    conn: sqlite3.Connection
    state: IndexState


class EmbeddedEngine(IndexFile, SearchEngine):
    name = "embedded"

    def __init__(self, path, thesaurus: Thesaurus | None = None, workers: int | None = None):
        self.path = Path(path)
        self._thesaurus = thesaurus
        self.workers = available_cores() if workers is None else workers  # see prepare_all

    @property
    def thesaurus(self) -> Thesaurus:
        return self._thesaurus or get_thesaurus()

    def index_documents(self, documents: list[dict]) -> None:
        documents = list(documents)
        if not documents:
            return
        prepared = [prepare(d) for d in documents]
        ids = [p.id for p in prepared]
        stored_words = self._stored_words(ids)  # before the write lock: see _stored_words

        def work(conn):
            self._delete_ids(conn, ids, stored_words)
            self._insert(conn, prepared, fresh=False)

        self._write_transaction(work)

    def delete(self, ids: list[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        stored_words = self._stored_words(ids)
        self._write_transaction(lambda conn: self._delete_ids(conn, ids, stored_words))

    def rebuild(self, documents) -> int:
        """Build a complete new file, then rename it over the live one.

        Readers see the old index until the rename, then the new one (each checks the inode on
        its next call), with no restart. A corrupt or missing file is simply replaced.
        """
        building, count = self._build_file(documents)
        self._swap_in(building)
        logger.info("search index rebuilt: %s documents swapped into %s", count, self.path.name)
        return count

    # --- searching: the steps of the shared flow (SearchEngine.search) ---

    search = guarded(SearchEngine.search)

    @contextlib.contextmanager
    def reading(self):
        """One read transaction, so every step of a search sees the same index generation."""
        conn = self.connect()
        conn.execute("BEGIN")
        try:
            yield Reader(conn, self._state(conn))
        finally:
            conn.execute("COMMIT")

    def selections(self, reader, request):
        unknown: dict[str, list[str]] = {}
        for name, values in request.filters.items():
            for value in values:
                if (name, value) not in reader.state.value_ids:
                    unknown.setdefault(name, []).append(value)
        return (without_values(request, unknown) if unknown else request), unknown

    def answer(self, reader, request, plan):
        selections = self._value_ids(reader.state, request)
        return self._answer(reader, request, translate(plan), selections), {}

    def concept_frequencies(self, reader, plan):
        if len(plan.meaningful) < 2:
            return None  # nothing to leave out: one concept is matched or not
        query = translate(plan)
        counts = [self._pages(reader, match).bit_count() for match in query.concept_matches]
        return counts, reader.state.all_docs.bit_count()

    def correction(self, reader, query, response):
        return self.correct(query, conn=reader.conn, state=reader.state)

    def drop_cached_matches(self) -> None:
        """Forget this generation's cached page sets (IndexState.matching): the benchmark's
        figures for a query seen for the first time."""
        self._state(self.connect()).drop_matches()

    @staticmethod
    def _value_ids(state, request) -> dict[str, list[int]]:
        """The selected values as value ids, by facet (the request holds known values only)."""
        return {
            name: [state.value_ids[(name, value)] for value in values]
            for name, values in request.filters.items()
        }

    def _pages(self, reader, match: str) -> int:
        """The pages an FTS5 expression matches, as a bitmap (cached per index generation)."""

        def find(match):
            (ids_text,) = reader.conn.execute(
                "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,)
            ).fetchone()
            return bitmap_from_list(ids_text, reader.state.size_bytes)

        return reader.state.matching(match, find)

    def _tiers(self, reader, query) -> Tiers:
        """Which pages match which counted concepts, from one FTS pass per concept (and one
        more, in the page's own text, for a concept some topic label holds)."""
        state = reader.state
        if query.matches_nothing:
            return Tiers.nothing()
        if query.match is None:
            return Tiers.everything(state.all_docs)
        anywhere, own = [], []
        for concept, match, own_match in zip(
            query.plan.meaningful, query.concept_matches, query.own_text_matches, strict=True
        ):
            pages = self._pages(reader, match)
            anywhere.append(pages)
            labelled = pages and state.labels_hold(concept)
            own.append(self._pages(reader, own_match) if labelled else pages)
        return Tiers.counted(
            anywhere, own, query.plan.required, state.all_docs, query.plan.threshold
        )

    def _masks(self, state, selections) -> dict[str, int]:
        masks = {}
        for name, value_ids in selections.items():
            mask = 0
            for value_id in value_ids:
                mask |= state.bitmaps.get(value_id, 0)
            masks[name] = mask
        return masks

    def _answer(self, reader, request, query, selections) -> SearchResponse:
        """The pages matching enough counted concepts (policy.required_concepts), counted and
        faceted together, listed tier by tier (policy: more concepts first, then more of them
        in the page's own text), each tier by score or the chosen sort."""
        state = reader.state
        tiers = self._tiers(reader, query)
        masks = self._masks(state, selections)
        mask = state.all_docs
        for value in masks.values():
            mask &= value
        matching = tiers.candidates & mask
        response = SearchResponse(request=request, engine=self.name, total=matching.bit_count())
        response.exact_total = (tiers.exact & mask).bit_count()
        response.facets = self._facet_counts(state, tiers.candidates, masks, matching, selections)
        if response.total and request.offset < response.total:
            by_score = request.sort == "relevance"
            ids, exact_count = self._page_ids(reader, request, query, tiers, mask, by_score)
            response.hits = self._hits(reader.conn, ids, query, exact_count)
            if ids and tiers.anywhere:
                first = 1 << ids[0]
                matched = [i for i, pages in enumerate(tiers.anywhere) if pages & first]
                response.matched_words = query.plan.words_of(matched)
        return response

    def _facet_counts(self, state, candidates, masks, matching, selections):
        facets = {}
        for facet in FACETS:
            if facet.name in masks:
                base = candidates
                for name, mask in masks.items():
                    if name != facet.name:
                        base &= mask
            else:
                base = matching
            selected = set(selections.get(facet.name, ()))
            listed = []
            for value_id in state.values_by_facet.get(facet.name, ()):
                count = (base & state.bitmaps.get(value_id, 0)).bit_count() if base else 0
                if count or value_id in selected:
                    _facet, value, label = state.values[value_id]
                    listed.append(FacetValue(value, label, count, value_id in selected))
            listed.sort(key=policy.facet_value_order)
            facets[facet.name] = listed
        return facets

    def _page_ids(self, reader, request, query, tiers, mask, by_score) -> tuple[list[int], int]:
        """One page of results, tier by tier, and how many of them match every concept.

        Only the tiers the page reaches are ranked; earlier ones are skipped by their counts.
        """
        size, offset = request.page_size, request.offset
        ids: list[int] = []
        exact_count = 0
        for pages, full in tiers.in_order(by_score):
            pages &= mask
            count = pages.bit_count()
            if offset >= count:
                offset -= count
                continue
            # The strict MATCH selects it exactly (unless pair boosts widen it).
            whole = full and pages == tiers.exact and query.match_selects_full
            match = query.match if full else query.any_match
            window = (size - len(ids), offset)
            sql, params = page_query(
                request,
                match,
                None if whole else pages,
                window,
                priors=reader.state.priors,
                wanted=query.plan.wanted_types,
            )
            found = [doc_id for (doc_id,) in reader.conn.execute(sql, params)]
            ids += found
            exact_count += len(found) if full else 0
            offset = 0
            if len(ids) >= size:
                break
        return ids, exact_count

    def _hits(self, conn, ids, query, exact_count=None) -> list[Hit]:
        documents, indexed_stems = {}, {}
        for doc_id, blob, summary_stems, body_stems in self._rows(
            conn,
            "SELECT docs.id, docs.data, fts.summary, fts.body FROM docs"
            " JOIN fts ON fts.rowid = docs.id WHERE docs.id IN ({})",
            ids,
        ):
            documents[doc_id] = unpack(blob)
            indexed_stems[doc_id] = [summary_stems, body_stems]
        exact_count = len(ids) if exact_count is None else exact_count
        return [
            build_hit(
                doc_id,
                documents[doc_id],
                query.plan,
                exact=position < exact_count,
                passage=functools.partial(
                    snippet,
                    [documents[doc_id].get("summary") or "", documents[doc_id].get("body") or ""],
                    query.plan,
                    indexed_stems=indexed_stems[doc_id],
                ),
            )
            for position, doc_id in enumerate(ids)
        ]

    # --- spelling and suggestions ---

    @guarded
    def correct(self, query: str, conn=None, state=None) -> str | None:
        """The query with unknown words replaced by the nearest index words, or None.

        Words the thesaurus knows, words typed in capitals, numbers, short words and words the
        index knows (as a word or a stem) are left alone (search.query.spelling).
        """
        conn = conn or self.connect()
        state = state or self._state(conn)
        frequencies = self._words(conn, state)
        if state._speller is None:
            state._speller = Speller(frequencies)
            state._known_stems = {textmod.stem(word) for word in frequencies}

        def is_known(word):
            return word in frequencies or textmod.stem(word) in state._known_stems

        rules = SpellingRules.from_thesaurus(self.thesaurus)
        return corrected_query(query, rules, is_known, state._speller.correct)

    @guarded
    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        typed = textmod.words(prefix)
        if not typed:
            return []
        complete = typed[:-1] if not prefix[-1:].isspace() else typed
        parts = [f'"{word}"' for word in complete]
        if not prefix[-1:].isspace():
            parts.append(f'"{typed[-1]}"*')
        conn = self.connect()
        rows = conn.execute(
            "SELECT title FROM titles WHERE titles MATCH ? ORDER BY rank LIMIT ?",
            (" AND ".join(parts), limit),
        )
        return [title for (title,) in rows]

    # --- checking and explaining ---

    @guarded
    def check(self, documents: list[dict]) -> CheckReport:
        conn = self.connect()
        # A damaged page that no query happens to read is still found here.
        problems = [row for (row,) in conn.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            self.close()
            raise self._unavailable(sqlite3.DatabaseError("; ".join(problems)))
        indexed = dict(conn.execute("SELECT id, checksum FROM docs"))
        expected = {int(d["id"]): policy.checksum(d) for d in documents}
        return CheckReport(
            engine=self.name,
            indexed=len(indexed),
            expected=len(expected),
            missing=sorted(set(expected) - set(indexed)),
            stale=sorted(i for i in expected if i in indexed and indexed[i] != expected[i]),
            orphaned=sorted(set(indexed) - set(expected)),
            details={"path": str(self.path), "size_bytes": self.size_bytes()},
        )

    @guarded
    def health(self) -> dict:
        conn = self.connect()
        return {"documents": conn.execute("SELECT count(*) FROM docs").fetchone()[0]}

    def size_bytes(self) -> int:
        return sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )

    @guarded
    def explain(self, request: SearchRequest) -> dict:
        """What a search would run: the expanded query, the FTS5 expression and the SQL."""
        conn = self.connect()
        state = self._state(conn)
        request, unknown = self.selections(Reader(conn, state), request)
        selections = self._value_ids(state, request)
        query = translate(plan_query(request.query, self.thesaurus))
        reader = Reader(conn, state)
        tiers = self._tiers(reader, query)
        mask = state.all_docs
        for value in self._masks(state, selections).values():
            mask &= value
        first_tier = None if not selections and query.match_selects_full else tiers.exact & mask
        sql, params = page_query(
            request, query.match, first_tier, priors=state.priors, wanted=query.plan.wanted_types
        )
        return {
            "engine": self.name,
            "index": str(self.path),
            "concepts": [
                {
                    "typed": " ".join(c.typed),
                    "synonyms": [" ".join(p) for p in c.alternatives],
                    "counts": c in query.plan.meaningful,
                }
                for c in query.concepts
            ],
            "required": query.plan.required,
            "match": query.match,
            "candidates_match": query.filter_match,
            "concept_matches": list(query.concept_matches),
            "lower_tiers_match": query.any_match,
            "candidates_sql": "SELECT rowid FROM fts WHERE fts MATCH ?" if query.match else None,
            "page_sql": sql,
            "page_params": [_readable(p, state.priors) for p in params],
            "facet_filters": {
                name: [state.values[v][1] for v in ids] for name, ids in selections.items()
            },
            "rank": f"tiers (concepts matched, then in own text), then bm25 weights "
            f"{policy.FIELD_WEIGHTS}",
            "warnings": unknown_value_notices(unknown),
        }


def _readable(param, priors):
    """A page query's parameter for --show-query: the type priors' bytes (bitmaps.TypePriors)
    by their size, a tier's flag bytes as the page ids they set."""
    if param is priors.classes:
        return f"<type prior of each page id: {len(param)} bytes>"
    if isinstance(param, bytes):
        return ids_json(bitmap_from_flags(param))
    return param
