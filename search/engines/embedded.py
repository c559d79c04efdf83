"""The embedded engine: SQLite FTS5 in its own index file, with stemming, synonyms and facets.

It needs no server and works whatever the main database is. Layout of the index file:

- `fts`: one row per document (rowid = page id) with four columns of *stems* (title, summary,
  taxonomy labels, body), ranked by BM25 with per-column weights. FTS5 has no Snowball stemmer,
  so `search.text` stems both the stored text and the query.
- `docs`: the document itself (zlib-compressed JSON) for results, snippets and drift checks,
  plus sort keys.
- `facet_values` / `doc_facets`: facet values normalised to integers, one row per (value, doc).
- `titles`: raw titles with a prefix index, for suggestions as you type.
- `words`: every surface word with its document frequency, for "did you mean".

Facet counts use one candidate set per search: the FTS match, as a bitmap (a Python int) over
page ids. Each facet value's documents are cached as a bitmap per index generation, so a
disjunctive count is one AND and one popcount per value, in C, however many documents match.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import logging
import multiprocessing
import os
import re
import sqlite3
import threading
import uuid
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from search import policy
from search import text as textmod
from search.engines.base import (
    CheckReport,
    FacetValue,
    Hit,
    IndexUnavailable,
    SearchEngine,
    SearchRequest,
    SearchResponse,
)
from search.facets import FACETS, FACETS_BY_NAME
from search.synonyms import Concept, Thesaurus, get_thesaurus

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
# Ranking, retry, spelling, drift and sort rules are search/policy.py's, shared with the cluster.
SNIPPET_WORDS = 32
BATCH_SIZE = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    title_key TEXT NOT NULL,
    sort_date TEXT,
    boost REAL NOT NULL DEFAULT 1.0,
    checksum TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_by_title ON docs (title_key, id);
CREATE INDEX IF NOT EXISTS docs_by_date ON docs (sort_date DESC, title_key, id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, summary, taxonomy, body, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5 (
    title, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TABLE IF NOT EXISTS facet_values (
    id INTEGER PRIMARY KEY,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (facet, value)
);
CREATE TABLE IF NOT EXISTS doc_facets (
    value_id INTEGER NOT NULL,
    doc_id INTEGER NOT NULL,
    PRIMARY KEY (value_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_facets_by_doc ON doc_facets (doc_id);
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
"""
DATA_TABLES = ("docs", "fts", "titles", "facet_values", "doc_facets", "words")


# --- documents -> rows -------------------------------------------------------------------------


def taxonomy_text(document: dict) -> str:
    labels = [term["label"] for name in policy.TAXONOMY_FIELDS for term in document.get(name) or []]
    labels.extend(document.get("regions") or [])
    return "\n".join(labels)


def field_texts(document: dict) -> tuple[str, str, str, str]:
    return (
        document.get("title") or "",
        document.get("summary") or "",
        taxonomy_text(document),
        document.get("body") or "",
    )


def pack(canonical: bytes) -> bytes:
    """A document's stored form: its canonical JSON (policy.canonical_json), compressed."""
    return zlib.compress(canonical, 1)


def unpack(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob))


@dataclass
class PreparedDocument:
    id: int
    doc_row: tuple
    fts_row: tuple
    title_row: tuple
    facet_terms: list[tuple[str, str, str]]  # (facet name, value, label)
    words: set[str]


def column_words(document: dict) -> list[list[str]]:
    """The folded words of each FTS column, in order."""
    return [textmod.words(value) for value in field_texts(document)]


def document_words(document: dict, columns: list[list[str]] | None = None) -> set[str]:
    """Every surface word of a document: what it adds to the `words` table for spelling."""
    if columns is None:
        columns = column_words(document)
    return {word for ws in columns for word in ws}


def prepare(document: dict) -> PreparedDocument:
    doc_id = int(document["id"])
    columns = column_words(document)
    fts_row = (doc_id, *(" ".join(textmod.stem_words(ws)) for ws in columns))
    facet_terms = []
    for facet in FACETS:
        for term in document.get(facet.field) or []:
            facet_terms.append((facet.name, str(term["value"]), str(term["label"])))
    type_key = (document.get("type") or [{"value": ""}])[0]["value"]
    canonical = policy.canonical_json(document)
    doc_row = (
        doc_id,
        policy.title_key(document.get("title") or ""),
        policy.sort_date(document),
        policy.type_boost(type_key),
        policy.checksum(document, canonical),
        pack(canonical),
    )
    return PreparedDocument(
        id=doc_id,
        doc_row=doc_row,
        fts_row=fts_row,
        title_row=(doc_id, document.get("title") or ""),
        facet_terms=facet_terms,
        words=document_words(document, columns),
    )


def prepare_all(documents, workers: int, batch_size: int = BATCH_SIZE):
    """`prepare` over documents, in order; with several workers and at least one batch of
    documents, in worker processes, a batch ahead of the caller's inserts.

    Preparing (folding, stemming, serialising) is about four fifths of a rebuild and runs on one
    core otherwise. Batches bound what is in flight; smaller rebuilds stay in this process,
    where starting workers would cost more than it saves.
    """
    iterator = iter(documents)
    window = list(itertools.islice(iterator, batch_size))
    if workers < 2 or len(window) < batch_size or not hasattr(os, "fork"):
        yield from map(prepare, itertools.chain(window, iterator))
        return
    chunk = max(1, batch_size // (workers * 4))
    # fork: a worker is this process as it stands (spawn would re-run the caller's main script);
    # it only prepares documents and leaves with os._exit, so it never touches what it inherits.
    # A worker that dies (killed, out of memory) fails the rebuild with BrokenProcessPool
    # rather than leaving it waiting; the live index is untouched either way.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = pool.map(prepare, window, chunksize=chunk)
        while pending is not None:
            window = list(itertools.islice(iterator, batch_size))
            following = pool.map(prepare, window, chunksize=chunk) if window else None
            yield from pending
            pending = following


def available_cores() -> int:
    """The cores this process may run on: how many workers a rebuild prepares with."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# --- queries -----------------------------------------------------------------------------------


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


@dataclass
class QueryPlan:
    text: str
    concepts: list[Concept]
    match: str | None  # FTS5 MATCH expression, None when there is no text to match
    # The same pages as `match` without the phrase clauses that only change ranking: cheaper
    # for the pass that collects every matching page for counting.
    filter_match: str | None = None
    # Pages matching all concepts but one (a superset of `filter_match`), when the partial-match
    # rule applies; and those of them that miss a concept, ranked after every full match.
    partial_filter_match: str | None = None
    partial_only_match: str | None = None

    @property
    def has_text(self):
        return bool(self.text)

    @property
    def matches_nothing(self):
        """Text was typed but none of it is a word (only punctuation or emoji)."""
        return self.has_text and not self.concepts


def _with_phrase_boosts(match: str, typed: list[str]) -> str:
    """Add the typed words as a phrase, anywhere and in the title.

    The phrase implies every typed word, so the pages matched do not change, but BM25 scores
    each phrase too: pages with the words together rank above pages with them apart, and a
    title that says exactly what was typed ranks above a body that mentions it.
    """
    if len(typed) < 2:
        return match
    phrase = _quote(typed)
    return f"({match}) OR {phrase} OR title : {phrase}"


def plan_query(query: str, thesaurus: Thesaurus) -> QueryPlan:
    concepts = thesaurus.concepts(query)
    if not concepts:
        return QueryPlan(text=query, concepts=concepts, match=None)
    typed = [stem for concept in concepts for stem in concept.typed]
    expressions = [concept_expression(c) for c in concepts]
    strict = " AND ".join(expressions)
    partial = partial_only = None
    if policy.partial_matches(len(concepts)):
        subsets = [
            " AND ".join(expressions[:skip] + expressions[skip + 1 :])
            for skip in range(len(expressions))
        ]
        partial = " OR ".join(f"({s})" for s in subsets)
        partial_only = f"({partial}) NOT ({strict})"
    return QueryPlan(
        text=query,
        concepts=concepts,
        match=_with_phrase_boosts(strict, typed),
        filter_match=strict,
        partial_filter_match=partial,
        partial_only_match=partial_only,
    )


# --- highlighting ------------------------------------------------------------------------------


def _highlight_pattern(plan: QueryPlan) -> re.Pattern:
    """Every word a snippet marks, as one regex over space-joined stems: the typed stems alone,
    and each synonym phrase whole. A lookahead tries every word start, longest phrase first,
    so overlapping phrases all count."""
    singles = {(stem,) for c in plan.concepts for stem in c.typed}
    singles |= {p for c in plan.concepts for p in c.alternatives if len(p) == 1}
    phrases = {p for c in plan.concepts for p in c.alternatives if len(p) > 1}
    alternatives = sorted(singles | phrases, key=lambda words: (-len(words), words))
    body = "|".join(" ".join(map(re.escape, words)) for words in alternatives)
    return re.compile(f"(?<![^ ])(?=({body})(?![^ ]))")


def _marked_positions(stems_text: str, pattern: re.Pattern) -> list[int]:
    """The word positions (0-based, ascending) the pattern marks in space-joined stems."""
    marked: list[int] = []
    word, cursor = 0, 0
    for match in pattern.finditer(stems_text):
        word += stems_text.count(" ", cursor, match.start())
        cursor = match.start()
        last = word + match.group(1).count(" ")
        start = max(word, marked[-1] + 1) if marked else word
        marked.extend(range(start, last + 1))
    return marked


def _best_window(marked: list[int], window: int) -> tuple[int, int]:
    """(marks, start) of the earliest `window`-word passage holding the most marked words."""
    top, top_start, first = 0, 0, 0
    for last, position in enumerate(marked):
        while position - marked[first] >= window:
            first += 1
        if last - first + 1 > top:
            top, top_start = last - first + 1, max(0, position - window + 1)
    return top, top_start


def snippet(
    texts: list[str], plan: QueryPlan, size: int = SNIPPET_WORDS, indexed_stems=None
) -> str:
    """The passage with the most matches, HTML-escaped, with matched words in <mark>.

    `indexed_stems`, when given, holds each text's FTS column, in the same order.
    """
    pattern = _highlight_pattern(plan) if plan.concepts else None
    best = None
    for position, raw in enumerate(texts):
        scanned = textmod.scan(raw, indexed_stems[position] if indexed_stems else None)
        count = scanned.word_count
        if not count:
            continue
        marked = _marked_positions(scanned.stems_text, pattern) if pattern else []
        window = min(size, count)
        top, top_start = _best_window(marked, window)
        if best is None or top > best[0]:
            best = (top, scanned, marked, top_start, window)
        if top and best[0] == top and raw is texts[0]:
            break  # a match in the summary reads best; stop there
    if best is None:
        return ""
    _, scanned, marked, start, window = best
    source, count = scanned.source, scanned.word_count
    # Start a little before the first match so it has context.
    following = bisect.bisect_left(marked, start)
    first_mark = start
    if following < len(marked) and marked[following] < start + window:
        first_mark = marked[following]
    start = max(0, min(start, first_mark - 4))
    end = min(count, start + window)
    spans = scanned.spans(start, end)
    marked_here = set(marked[bisect.bisect_left(marked, start) : bisect.bisect_left(marked, end)])
    pieces = ["\u2026 " if start > 0 else ""]
    cursor = spans[0][0] if start > 0 else 0
    for i, (token_start, token_end) in enumerate(spans, start):
        if i in marked_here:  # plain text up to each marked word, escaped in one piece
            pieces.append(html.escape(source[cursor:token_start]))
            pieces.append(f"<mark>{html.escape(source[token_start:token_end])}</mark>")
            cursor = token_end
    if end > start:
        last_end = spans[-1][1]
        pieces.append(html.escape(source[cursor:last_end]))
        cursor = last_end
    if end < count:
        pieces.append(html.escape(source[cursor : spans[-1][1] + 1].rstrip()) + " \u2026")
    else:
        pieces.append(html.escape(source[cursor:].rstrip()))
    return "".join(pieces).replace("</mark> <mark>", " ")


def concepts_in(text: str, plan: QueryPlan) -> int:
    """How many of the query's concepts a text holds (its words, or a synonym phrase)."""
    text_stems = textmod.stems(text)
    present = set(text_stems)
    joined = f" {' '.join(text_stems)} "
    return sum(
        all(stem in present for stem in concept.typed)
        or any(f" {' '.join(phrase)} " in joined for phrase in concept.alternatives)
        for concept in plan.concepts
    )


def matched_row(document: dict, plan: QueryPlan, exact: bool = True) -> tuple[str, str] | None:
    """(anchor, snippet) of the recommendation row a result matched, or None.

    A row is the match when it holds every concept the page matched on (all of them for a full
    match, all but one for a partial one) and more than the page's title and summary do:
    "carbon monoxide monitoring" is a row of the smoking evidence page, while "smoking" is what
    the whole page is about. Both engines use this, on the indexed document.
    """
    rows = document.get("rows") or []
    if not rows or not plan.concepts:
        return None
    needed = len(plan.concepts) - (0 if exact else 1)
    best, covered = None, 0
    for row in rows:
        count = concepts_in(row["text"], plan)
        if count > covered:
            best, covered = row, count
    head = f"{document.get('title') or ''}\n{document.get('summary') or ''}"
    if best is None or covered < needed or covered <= concepts_in(head, plan):
        return None
    return best["anchor"], snippet([best["text"]], plan)


# --- spelling ----------------------------------------------------------------------------------


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Nearest index words by edit distance, via a one-deletion index (as SymSpell does)."""

    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = frequencies
        self.by_delete: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) >= 3 and word.isalpha():
                for key in {word} | _deletes(word):
                    self.by_delete.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        limit = policy.edit_limit(word)
        keys = {word} | _deletes(word)
        if limit > 1:
            keys |= {d2 for d1 in _deletes(word) for d2 in _deletes(d1)}
        candidates = {c for key in keys for c in self.by_delete.get(key, ())}
        scored = []
        for candidate in candidates:
            distance = policy.correction_distance(word, candidate)
            if distance is not None:
                scored.append((distance, -self.frequencies[candidate], candidate))
        return min(scored)[2] if scored else None


# --- cached per index generation ---------------------------------------------------------------


@dataclass
class IndexState:
    key: tuple
    values: dict[int, tuple[str, str, str]] = field(
        default_factory=dict
    )  # id -> facet, value, label
    value_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    values_by_facet: dict[str, list[int]] = field(default_factory=dict)
    bitmaps: dict[int, int] = field(default_factory=dict)
    all_docs: int = 0
    size_bytes: int = 1
    _speller: Speller | None = None
    _known_stems: set[str] | None = None
    _words: dict[str, int] | None = None


def bitmap(ids, size_bytes: int) -> int:
    """A set of page ids as an int with those bits set."""
    buffer = bytearray(size_bytes)
    for doc_id in ids:
        buffer[doc_id >> 3] |= 1 << (doc_id & 7)
    return int.from_bytes(buffer, "little")


def bitmap_from_list(ids_text: str | None, size_bytes: int) -> int:
    """The bitmap of a comma-separated id list (SQLite's group_concat of the ids).

    One string from SQLite and a flag per id, read as a base-2 number, is about three times
    faster than a Python bit operation per fetched row; the candidate pass runs on every search.
    """
    if not ids_text:
        return 0
    flags = bytearray(b"0" * (size_bytes * 8))
    for doc_id in map(int, ids_text.split(",")):
        flags[doc_id] = 49  # "1"
    flags.reverse()  # the lowest id is the lowest bit
    return int(flags, 2)


def ids_json(bits: int) -> str:
    """The ids in a bitmap as a JSON array, for SQLite's json_each (lowest id first)."""
    flags = bin(bits)[:1:-1]  # the lowest id is the first character
    return "[" + ",".join(str(found.start()) for found in re.finditer("1", flags)) + "]"


_state_cache: dict[str, IndexState] = {}
_state_lock = threading.Lock()
_local = threading.local()

REBUILD_HINT = "run `manage.py search_index rebuild`"


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path` now, or None when there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino)


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    # A rollback journal, not WAL: `rebuild` renames a new file over the old one, and a WAL
    # file left beside the old one must never be replayed into its replacement.
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA mmap_size = 268435456")
    return conn


def _guarded(method):
    """Turn SQLite's errors on a damaged or busy file into IndexUnavailable, never a 500.

    The thread's connection is dropped, so the next call opens the file afresh (a rebuild may
    have replaced it meanwhile).
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            self.close()
            raise self._unavailable(error) from None

    return wrapper


class EmbeddedEngine(SearchEngine):
    name = "embedded"

    def __init__(self, path, thesaurus: Thesaurus | None = None, workers: int | None = None):
        self.path = Path(path)
        self._thesaurus = thesaurus
        self.workers = available_cores() if workers is None else workers  # see prepare_all

    @property
    def thesaurus(self) -> Thesaurus:
        return self._thesaurus or get_thesaurus()

    # --- the index file: opening, checking and swapping ---
    #
    # Each thread keeps one connection per index file, with the (device, inode) it opened.
    # Every call compares that with the file on disk now (one stat): a file replaced by a
    # rebuild is reopened; a missing one is reported, never recreated empty; a corrupt one
    # raises IndexUnavailable. Only `rebuild` creates the file, so a half-empty index is never
    # served as if it were complete.

    def _unavailable(self, error) -> IndexUnavailable:
        text = str(error)
        if isinstance(error, sqlite3.OperationalError) and "locked" in text:
            problem = f"is busy ({text})"
        elif isinstance(error, sqlite3.DatabaseError):
            problem = f"is corrupt ({text}); {REBUILD_HINT}"
        else:
            problem = text
        return IndexUnavailable(f"the embedded index at {self.path} {problem}")

    def connect(self) -> sqlite3.Connection:
        """This thread's connection to the index file on disk now; IndexUnavailable if none."""
        connections = getattr(_local, "connections", None)
        if connections is None:
            connections = _local.connections = {}
        key = str(self.path)
        identity = _file_identity(self.path)
        cached = connections.get(key)
        if cached is not None:
            conn, opened = cached
            if opened == identity:
                return conn
            conn.close()
            del connections[key]
            if identity is not None:
                logger.info("search index file replaced; reopening %s", self.path)
        if identity is None:
            raise IndexUnavailable(f"the embedded index at {self.path} is missing; {REBUILD_HINT}")
        try:
            conn = _open(self.path)
            self._check_layout(conn)
        except sqlite3.DatabaseError as error:
            raise self._unavailable(error) from None
        connections[key] = (conn, identity)
        return conn

    def close(self):
        connections = getattr(_local, "connections", {})
        cached = connections.pop(str(self.path), None)
        if cached is not None:
            cached[0].close()

    def _check_layout(self, conn):
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if not row or row[0] != SCHEMA_VERSION:
            conn.close()
            raise IndexUnavailable(
                f"the embedded index at {self.path} was built by another version; {REBUILD_HINT}"
            )

    def _write_transaction(self, work) -> None:
        """Run `work(conn)` in a write transaction on the file that is on disk now.

        The inode is checked again once the write lock is held: a rebuild that renamed a new
        file in meanwhile would otherwise receive this write in the replaced file, and lose it.
        A missing index is left alone: the next rebuild (or `search_index update`) builds it
        from the database, which already holds this change.
        """
        for _attempt in range(5):
            try:
                conn = self.connect()
            except IndexUnavailable as error:
                if _file_identity(self.path) is None:
                    logger.info("search index write skipped: %s", error)
                    return
                raise
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as error:
                self.close()
                raise self._unavailable(error) from None
            if _file_identity(self.path) != _local.connections[str(self.path)][1]:
                conn.execute("ROLLBACK")
                continue  # replaced while we waited for the lock: write to the new file
            try:
                work(conn)
                self._bump_generation(conn)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self.close()
                raise self._unavailable(error) from None
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return
        raise IndexUnavailable(f"the embedded index at {self.path} keeps being replaced")

    def _build_file(self, documents) -> tuple[Path, int]:
        """A complete new index file beside the live one, not yet in place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        building = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.building")
        conn = sqlite3.connect(building, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = OFF")  # fsynced once, below, before the swap
            conn.execute("BEGIN")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            self._configure_fts(conn)
            conn.execute(
                "INSERT INTO meta VALUES ('schema', ?), ('index_id', ?), ('generation', '1')",
                (SCHEMA_VERSION, uuid.uuid4().hex),
            )
            frequencies: Counter = Counter()
            count = 0
            batch = []
            for prepared in prepare_all(documents, self.workers):
                batch.append(prepared)
                if len(batch) >= BATCH_SIZE:
                    count += self._insert(conn, batch, fresh=True, frequencies=frequencies)
                    batch = []
            count += self._insert(conn, batch, fresh=True, frequencies=frequencies)
            conn.executemany("INSERT INTO words VALUES (?, ?)", frequencies.items())
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            building.unlink(missing_ok=True)
            raise
        conn.close()
        with open(building, "rb") as handle:
            os.fsync(handle.fileno())
        return building, count

    def _swap_in(self, building: Path) -> None:
        """Rename the new file over the live one while holding the live file's write lock.

        Writers wait for that lock, then see the new inode and write to the new file.
        """
        old = None
        if _file_identity(self.path) is not None:
            try:
                old = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                old.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError:  # corrupt or not SQLite at all: nothing to protect
                if old is not None:
                    old.close()
                old = None
        try:
            os.replace(building, self.path)
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        finally:
            if old is not None:
                old.execute("ROLLBACK")
                old.close()
        self.close()
        for leftover in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            leftover.unlink(missing_ok=True)  # from a WAL-mode file this one replaced

    @staticmethod
    def _configure_fts(conn):
        weights = ", ".join(str(w) for w in policy.FIELD_WEIGHTS.values())
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('rank', ?)", (f"bm25({weights})",))

    @staticmethod
    def _drop_data_tables(conn):
        for table in DATA_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")

    @staticmethod
    def _bump_generation(conn):
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # --- writing ---

    def index_documents(self, documents: list[dict]) -> None:
        documents = list(documents)
        if not documents:
            return
        prepared = [prepare(d) for d in documents]

        def work(conn):
            self._delete_ids(conn, [p.id for p in prepared])
            self._insert(conn, prepared, fresh=False)

        self._write_transaction(work)

    def delete(self, ids: list[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        self._write_transaction(lambda conn: self._delete_ids(conn, ids))

    def rebuild(self, documents) -> int:
        """Build a complete new file, then rename it over the live one.

        Readers see the old index until the rename, then the new one (each checks the inode on
        its next call), with no restart. A corrupt or missing file is simply replaced.
        """
        building, count = self._build_file(documents)
        self._swap_in(building)
        logger.info("search index rebuilt: %s documents swapped into %s", count, self.path.name)
        return count

    def _insert(self, conn, prepared, fresh, frequencies=None) -> int:
        if not prepared:
            return 0
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", [p.doc_row for p in prepared]
        )
        conn.executemany(
            "INSERT INTO fts (rowid, title, summary, taxonomy, body) VALUES (?, ?, ?, ?, ?)",
            [p.fts_row for p in prepared],
        )
        conn.executemany(
            "INSERT INTO titles (rowid, title) VALUES (?, ?)", [p.title_row for p in prepared]
        )
        terms = {term for p in prepared for term in p.facet_terms}
        conn.executemany(
            "INSERT INTO facet_values (facet, value, label) VALUES (?, ?, ?) "
            "ON CONFLICT (facet, value) DO UPDATE SET label = excluded.label",
            sorted(terms),
        )
        ids = {
            (facet, value): value_id
            for value_id, facet, value in conn.execute("SELECT id, facet, value FROM facet_values")
        }
        conn.executemany(
            "INSERT OR IGNORE INTO doc_facets VALUES (?, ?)",
            [(ids[(f, v)], p.id) for p in prepared for f, v, _label in p.facet_terms],
        )
        if fresh:
            for p in prepared:
                frequencies.update(p.words)
        else:
            counts = Counter(word for p in prepared for word in p.words)
            conn.executemany(
                "INSERT INTO words VALUES (?, ?) "
                "ON CONFLICT (word) DO UPDATE SET docs = docs + excluded.docs",
                counts.items(),
            )
        return len(prepared)

    def _delete_ids(self, conn, ids):
        old_words: Counter = Counter()
        for _doc_id, blob in self._rows(conn, "SELECT id, data FROM docs WHERE id IN ({})", ids):
            old_words.update(document_words(unpack(blob)))
        for table, column in (
            ("docs", "id"),
            ("fts", "rowid"),
            ("titles", "rowid"),
            ("doc_facets", "doc_id"),
        ):
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        conn.executemany(
            "UPDATE words SET docs = docs - ? WHERE word = ?",
            [(n, word) for word, n in old_words.items()],
        )
        conn.execute("DELETE FROM words WHERE docs <= 0")

    @staticmethod
    def _rows(conn, sql, ids):
        for chunk in _chunks(list(ids)):
            yield from conn.execute(sql.format(",".join("?" * len(chunk))), chunk)

    # --- reading ---

    def _state(self, conn) -> IndexState:
        key = tuple(v for (v,) in conn.execute("SELECT value FROM meta ORDER BY key"))
        cached = _state_cache.get(str(self.path))
        if cached is not None and cached.key == key:
            return cached
        with _state_lock:
            state = IndexState(key=key)
            max_id = conn.execute("SELECT max(id) FROM docs").fetchone()[0] or 0
            state.size_bytes = max_id // 8 + 1
            for value_id, facet, value, label in conn.execute(
                "SELECT id, facet, value, label FROM facet_values"
            ):
                state.values[value_id] = (facet, value, label)
                state.value_ids[(facet, value)] = value_id
                state.values_by_facet.setdefault(facet, []).append(value_id)
            postings: dict[int, list[int]] = {}
            for value_id, doc_id in conn.execute("SELECT value_id, doc_id FROM doc_facets"):
                postings.setdefault(value_id, []).append(doc_id)
            state.bitmaps = {
                value_id: bitmap(doc_ids, state.size_bytes)
                for value_id, doc_ids in postings.items()
            }
            state.all_docs = bitmap(
                (doc_id for (doc_id,) in conn.execute("SELECT id FROM docs")), state.size_bytes
            )
            _state_cache[str(self.path)] = state
            return state

    def _words(self, conn, state) -> dict[str, int]:
        if state._words is None:
            state._words = dict(conn.execute("SELECT word, docs FROM words"))
        return state._words

    @_guarded
    def search(self, request: SearchRequest) -> SearchResponse:
        conn = self.connect()
        conn.execute("BEGIN")
        try:
            state = self._state(conn)
            selections, warnings = self._selections(state, request)
            plan = plan_query(request.query, self.thesaurus)
            response = self._answer(conn, state, request, plan, selections)
            if response.exact_total == 0 and plan.concepts:
                correction = self.correct(request.query, conn=conn, state=state)
                if correction:
                    response.suggestion = correction
                    retry = self._answer(
                        conn, state, request, plan_query(correction, self.thesaurus), selections
                    )
                    if retry.exact_total:
                        retry.suggestion = correction
                        retry.corrected_from = request.query
                        response = retry
            notice = policy.partial_matches(
                len(plan.concepts), response.exact_total, response.total
            )
            response.warnings = [*warnings, *([notice] if notice else [])]
        finally:
            conn.execute("COMMIT")
        return response

    def _selections(self, state, request):
        selections: dict[str, list[int]] = {}
        warnings = []
        for name, values in request.filters.items():
            facet = FACETS_BY_NAME[name]
            for value in values:
                value_id = state.value_ids.get((name, value))
                if value_id is None:
                    warnings.append(policy.unknown_value_notice(facet.label, value))
                else:
                    selections.setdefault(name, []).append(value_id)
        return selections, warnings

    def _candidates(self, conn, state, plan, match=None) -> int:
        if plan.matches_nothing:
            return 0
        if plan.match is None:
            return state.all_docs
        (ids_text,) = conn.execute(
            "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match or plan.filter_match,)
        ).fetchone()
        return bitmap_from_list(ids_text, state.size_bytes)

    def _full_and_partial(self, conn, state, plan) -> tuple[int, int]:
        """Pages with every concept, and pages with all but one, from one FTS pass per concept
        (cheaper than matching the all-but-one expression): bitmaps ANDed around each gap."""
        per_concept = [
            self._candidates(conn, state, plan, concept_expression(c)) for c in plan.concepts
        ]
        before = [state.all_docs]
        for concept_bitmap in per_concept[:-1]:
            before.append(before[-1] & concept_bitmap)
        after = state.all_docs
        partial = 0
        for index in range(len(per_concept) - 1, -1, -1):
            partial |= before[index] & after
            after &= per_concept[index]
        return after, partial

    def _matched(self, conn, state, plan, selections):
        """The bitmaps a search works from: the candidates (full and partial matches), each
        selected facet's mask, the candidates under every mask, and the full matches under
        every mask."""
        if plan.partial_filter_match:
            exact, candidates = self._full_and_partial(conn, state, plan)
        else:
            exact = candidates = self._candidates(conn, state, plan)
        masks = {}
        for name, value_ids in selections.items():
            mask = 0
            for value_id in value_ids:
                mask |= state.bitmaps.get(value_id, 0)
            masks[name] = mask
        matching = candidates
        for mask in masks.values():
            matching &= mask
            exact &= mask
        return candidates, masks, matching, exact

    def _answer(self, conn, state, request, plan, selections) -> SearchResponse:
        """Pages matching every concept, then (by the partial-match rule) those missing one:
        counted and faceted together, listed full matches first."""
        candidates, masks, matching, exact = self._matched(conn, state, plan, selections)
        response = SearchResponse(request=request, engine=self.name, total=matching.bit_count())
        response.exact_total = exact.bit_count()
        response.facets = self._facet_counts(state, candidates, masks, matching, selections)
        if response.total and request.offset < response.total:
            allowed = (exact, matching & ~exact) if selections else (None, None)
            ids, exact_count = self._page_ids(conn, request, plan, allowed, response.exact_total)
            response.hits = self._hits(conn, ids, plan, exact_count)
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

    def page_query(
        self, request: SearchRequest, plan: QueryPlan, allowed=None, partial=False, window=None
    ) -> tuple[str, list]:
        """The SQL (and parameters) that picks one page of results, in order: of the full
        matches, or with `partial` of the pages missing one concept; `allowed` is the bitmap
        of the pages the facet filters leave (None: no filter), and `window` is (limit,
        offset) when it is not the request's page."""
        where, params = [], []
        use_fts = plan.match is not None
        match, filter_match = plan.match, plan.filter_match
        if partial:
            match = filter_match = plan.partial_only_match
        id_column = "fts.rowid" if use_fts and request.sort == "relevance" else "docs.id"
        if use_fts and request.sort == "relevance":
            # CROSS JOIN keeps FTS as the outer loop: only matching rows look up their boost.
            source = "fts CROSS JOIN docs ON docs.id = fts.rowid"
            where.append("fts MATCH ?")
            params.append(match)
        else:
            source = "docs"
            if use_fts:
                where.append("docs.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
                params.append(filter_match)
        order = order_by(policy.sort_keys(request.sort, has_text=use_fts), id_column)
        if allowed is not None:
            # The pages left by the filters, worked out from the facet bitmaps already: one
            # list is about half the cost of a subquery per facet, whose lists SQLite builds
            # anew each time, and ranking then scores only these rows. The unary + stops
            # SQLite handing "rowid IN" to FTS5, which would re-run the MATCH per listed rowid.
            where.append(f"+{id_column} IN (SELECT value FROM json_each(?))")
            params.append(ids_json(allowed))
        sql = f"SELECT {id_column} FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        params += list(window or (request.page_size, request.offset))
        return sql, params

    def _page_ids(self, conn, request, plan, allowed, exact_total) -> tuple[list[int], int]:
        """One page of the full matches followed by the partial ones, and how many of the
        page's ids are full matches; `allowed` is the (full, partial) bitmaps the facet
        filters leave, or (None, None)."""
        size, offset = request.page_size, request.offset
        ids = []
        if offset < exact_total:
            sql, params = self.page_query(request, plan, allowed[0])
            ids = [doc_id for (doc_id,) in conn.execute(sql, params)]
        exact_count = len(ids)
        if len(ids) < size and plan.partial_only_match:
            window = (size - len(ids), max(0, offset - exact_total))
            sql, params = self.page_query(request, plan, allowed[1], partial=True, window=window)
            ids += [doc_id for (doc_id,) in conn.execute(sql, params)]
        return ids, exact_count

    def _hits(self, conn, ids, plan, exact_count=None) -> list[Hit]:
        documents, indexed_stems = {}, {}
        for doc_id, blob, summary_stems, body_stems in self._rows(
            conn,
            "SELECT docs.id, docs.data, fts.summary, fts.body FROM docs"
            " JOIN fts ON fts.rowid = docs.id WHERE docs.id IN ({})",
            ids,
        ):
            documents[doc_id] = unpack(blob)
            indexed_stems[doc_id] = [summary_stems, body_stems]
        hits = []
        exact_count = len(ids) if exact_count is None else exact_count
        for position, doc_id in enumerate(ids):
            document = documents[doc_id]
            doc_type = (document.get("type") or [{"value": "", "label": ""}])[0]
            url = document.get("url") or ""
            row = matched_row(document, plan, exact=position < exact_count)
            if row:
                url, text = f"{url}#{row[0]}", row[1]
            else:
                text = snippet(
                    [document.get("summary") or "", document.get("body") or ""],
                    plan,
                    indexed_stems=indexed_stems[doc_id],
                )
            hits.append(
                Hit(
                    id=doc_id,
                    title=document.get("title") or "",
                    url=url,
                    type=doc_type["label"],
                    type_key=doc_type["value"],
                    snippet=text,
                    themes=[t["label"] for t in document.get("themes") or []],
                    areas=[t["label"] for t in document.get("areas") or []],
                    interventions=[t["label"] for t in document.get("interventions") or []],
                    year=document.get("year"),
                )
            )
        return hits

    # --- spelling and suggestions ---

    @_guarded
    def correct(self, query: str, conn=None, state=None) -> str | None:
        """The query with unknown words replaced by the nearest index words, or None.

        Words the thesaurus knows (every word of the synonyms file and the glossary, so every
        acronym in either, however it is typed), words typed in capitals, numbers, short words
        and words the index knows are left alone.
        """
        conn = conn or self.connect()
        state = state or self._state(conn)
        frequencies = self._words(conn, state)
        if state._speller is None:
            state._speller = Speller(frequencies)
            state._known_stems = {textmod.stem(word) for word in frequencies}
        thesaurus = self.thesaurus
        changed = False
        output = []
        for match in textmod.WORD_RE.finditer(textmod.normalise(query)):
            typed = match.group()
            for word in textmod.words(typed):
                keep = (
                    not policy.may_correct(typed, word, thesaurus.known_words)
                    or word in frequencies
                    or textmod.stem(word) in state._known_stems
                )
                replacement = None if keep else state._speller.correct(word)
                if replacement:
                    changed = True
                output.append(replacement or word)
        return " ".join(output) if changed else None

    @_guarded
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

    @_guarded
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

    @_guarded
    def health(self) -> dict:
        conn = self.connect()
        return {"documents": conn.execute("SELECT count(*) FROM docs").fetchone()[0]}

    def size_bytes(self) -> int:
        return sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )

    @_guarded
    def explain(self, request: SearchRequest) -> dict:
        """What a search would run: the expanded query, the FTS5 expression and the SQL."""
        conn = self.connect()
        state = self._state(conn)
        selections, warnings = self._selections(state, request)
        plan = plan_query(request.query, self.thesaurus)
        _candidates, _masks, _matching, exact = self._matched(conn, state, plan, selections)
        sql, params = self.page_query(request, plan, exact if selections else None)
        return {
            "engine": self.name,
            "index": str(self.path),
            "concepts": [
                {"typed": " ".join(c.typed), "synonyms": [" ".join(p) for p in c.alternatives]}
                for c in plan.concepts
            ],
            "match": plan.match,
            "candidates_match": plan.filter_match,
            "candidates_sql": "SELECT rowid FROM fts WHERE fts MATCH ?" if plan.match else None,
            "page_sql": sql,
            "page_params": params,
            "facet_filters": {
                name: [state.values[v][1] for v in ids] for name, ids in selections.items()
            },
            "rank": f"bm25 weights {policy.FIELD_WEIGHTS}",
            "warnings": warnings,
        }


def order_by(keys, id_column: str) -> str:
    """policy.SORT_KEYS as an ORDER BY clause (FTS5's rank is lower for better matches)."""
    clauses = []
    for key, direction in keys:
        if key == "score":
            clauses.append("fts.rank * docs.boost")  # best first: ascending
        elif key == "id":
            clauses.append(f"{id_column}{' DESC' if direction == 'desc' else ''}")
        elif direction == "desc":
            clauses.append(f"docs.{key} IS NULL, docs.{key} DESC")
        else:
            clauses.append(f"docs.{key}")
    return ", ".join(clauses)


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
