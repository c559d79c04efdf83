"""Documents as the rows of the index file: four columns of stems, the stored document, facet
terms and surface words; prepared in worker processes for large rebuilds."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from search import policy
from search import text as textmod
from search.facets import FACETS

BATCH_SIZE = 2000


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
