"""Sets of page ids as Python ints, and what is cached per index generation.

Facet counts use one candidate set per search: the FTS match, as a bitmap over page ids. Each
facet value's documents are cached as a bitmap per index generation, so a disjunctive count is
one AND and one popcount per value, in C, however many documents match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.query.spelling import Speller


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
