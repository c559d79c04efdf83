"""The index file: its schema, one connection per thread, the write transaction, building a new
file and renaming it over the live one, and what is cached per index generation.

Layout of the file:

- `fts`: one row per document (rowid = page id) with four columns of *stems* (title, summary,
  taxonomy labels, body), ranked by BM25 with per-column weights. FTS5 has no Snowball stemmer,
  so `search.text` stems both the stored text and the query.
- `docs`: the document itself (zlib-compressed JSON) for results, snippets and drift checks,
  plus sort keys.
- `facet_values` / `doc_facets`: facet values normalised to integers, one row per (value, doc).
- `titles`: raw titles with a prefix index, for suggestions as you type.
- `words`: every surface word with its document frequency, for "did you mean".
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import uuid
from collections import Counter
from pathlib import Path

from search import policy
from search.engines.base import IndexUnavailable
from search.facets import TYPE_FACET

from .bitmaps import IndexState, TypePriors, bitmap
from .rows import BATCH_SIZE, document_words, prepare_all, unpack

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"

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


def guarded(method):
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


class IndexFile:
    """The file at `self.path`, as the engine reads and writes it."""

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
    def _bump_generation(conn):
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # --- writing ---
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

    def _stored_words(self, ids) -> dict[int, tuple[str, set[str]]]:
        """The surface words of the stored documents with these ids, with their checksums.

        Read and split before the write lock is taken (`_delete_ids` needs them to update the
        spelling table), so the one lock every worker on the server queues for is held for
        writing only. Nothing when the file cannot be read: the write says why, under the lock.
        """
        try:
            conn = self.connect()
            rows = list(
                self._rows(conn, "SELECT id, checksum, data FROM docs WHERE id IN ({})", ids)
            )
        except (IndexUnavailable, sqlite3.DatabaseError):
            self.close()
            return {}
        return {doc_id: (checksum, document_words(unpack(blob))) for doc_id, checksum, blob in rows}

    def _delete_ids(self, conn, ids, stored_words=None):
        """Remove these documents; `stored_words` (from `_stored_words`) saves splitting their
        text under the lock, and is used only for a document still stored as it was read."""
        stored_words = stored_words or {}
        old_words: Counter = Counter()
        changed = []  # replaced by another worker since they were read, or not read
        for doc_id, checksum in self._rows(
            conn, "SELECT id, checksum FROM docs WHERE id IN ({})", ids
        ):
            read = stored_words.get(doc_id)
            if read is not None and read[0] == checksum:
                old_words.update(read[1])
            else:
                changed.append(doc_id)
        for _doc_id, blob in self._rows(
            conn, "SELECT id, data FROM docs WHERE id IN ({})", changed
        ):
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
            boosts = dict(conn.execute("SELECT id, boost FROM docs"))
            state.all_docs = bitmap(boosts, state.size_bytes)
            types = {
                doc_id: state.values[value_id][1]
                for value_id in state.values_by_facet.get(TYPE_FACET.name, ())
                for doc_id in postings.get(value_id, ())
            }
            state.priors = TypePriors.of(boosts, types)
            _state_cache[str(self.path)] = state
            return state

    def _words(self, conn, state) -> dict[str, int]:
        if state._words is None:
            state._words = dict(conn.execute("SELECT word, docs FROM words"))
        return state._words


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
