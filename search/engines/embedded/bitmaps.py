"""Sets of page ids as Python ints, and what is cached per index generation.

Facet counts use one candidate set per search: the FTS match, as a bitmap over page ids. Each
facet value's documents are cached as a bitmap per index generation, so a disjunctive count is
one AND and one popcount per value, in C, however many documents match.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from search import policy
from search import text as textmod
from search.query.spelling import Speller
from search.synonyms import Concept

# How many FTS5 expressions' page sets one index generation keeps (1.25 KB each at 10,000
# pages, 12.5 KB at 100,000), and how many concepts' label checks: the concepts of popular
# queries, as OpenSearch caches the bitsets of filter clauses it sees often.
MATCH_CACHE_SIZE = 512


@dataclass(frozen=True)
class TypePriors:
    """Every page's type prior (docs.boost), so that ranking needs no join on the docs table:
    one byte per page id (b"0" for no page, then b"1", b"2", ... for the first, second, ...
    class of page: a type key and its prior), read in SQL with substr, and each class's prior,
    bound as a parameter so that each score is the stored prior times the rank, exactly as the
    join gave, and a query naming a kind of page (QueryPlan.wanted_types) raises that kind's
    prior with no change to the SQL. The join's lookup was about a fifth of the ranking's cost."""

    values: tuple[float, ...] = ()
    types: tuple[str, ...] = ()  # the type key of each class, in the order of `values`
    classes: bytes = b""
    pages: bytes = b""  # b"1" for every page (flags_blob of all of them)

    @classmethod
    def of(cls, boosts: dict[int, float], types: dict[int, str] | None = None) -> TypePriors:
        """From each page's prior and type key (pages without one share the class "")."""
        types = types or {}
        kinds = {doc_id: (types.get(doc_id, ""), boost) for doc_id, boost in boosts.items()}
        ordered = sorted(set(kinds.values()), key=lambda kind: (kind[1], kind[0]))
        code = {kind: 0x31 + k for k, kind in enumerate(ordered)}
        classes = bytearray(b"0" * (max(boosts, default=0) + 1))
        pages = bytearray(classes)
        for doc_id, kind in kinds.items():
            classes[doc_id] = code[kind]
            pages[doc_id] = 0x31
        return cls(
            tuple(boost for _type, boost in ordered),
            tuple(type_key for type_key, _boost in ordered),
            bytes(classes),
            bytes(pages),
        )

    def score(self, id_column: str, wanted=()) -> tuple[str, list]:
        """The score (FTS5's rank times the prior; lower is better) and its parameters; the
        priors of the `wanted` type keys raised by policy.WANTED_TYPE_BOOST."""
        cases = " ".join(f"WHEN x'{0x31 + k:02x}' THEN ?" for k in range(len(self.values)))
        priors = [
            value * policy.WANTED_TYPE_BOOST if type_key in wanted else value
            for value, type_key in zip(self.values, self.types, strict=True)
        ]
        return (
            f"fts.rank * CASE substr(?, {id_column} + 1, 1) {cases} END",
            [self.classes, *priors],
        )


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
    priors: TypePriors = field(default_factory=TypePriors)
    _speller: Speller | None = None
    _known_stems: set[str] | None = None
    _words: dict[str, int] | None = None
    _label_stems: list[tuple[set[str], str]] | None = None
    _label_holds: dict[Concept, bool] = field(default_factory=dict)
    _matches: OrderedDict[str, int] = field(default_factory=OrderedDict)
    _matches_lock: threading.Lock = field(default_factory=threading.Lock)

    def matching(self, match: str, find) -> int:
        """The pages an FTS5 expression matches, as a bitmap: `find(match)` the first time in
        this generation, then from a bounded cache (least recently used out). Any write makes a
        new generation, so a cached set is never stale."""
        with self._matches_lock:
            pages = self._matches.get(match)
            if pages is not None:
                self._matches.move_to_end(match)
                return pages
        pages = find(match)
        with self._matches_lock:
            self._matches[match] = pages
            while len(self._matches) > MATCH_CACHE_SIZE:
                self._matches.popitem(last=False)
        return pages

    def drop_matches(self) -> None:
        """Forget the cached page sets and label checks."""
        with self._matches_lock:
            self._matches.clear()
        self._label_holds.clear()

    def labels_hold(self, concept: Concept) -> bool:
        """Whether some topic label holds the concept (its typed stems, or a synonym phrase):
        only then can a page match it by a label alone."""
        held = self._label_holds.get(concept)
        if held is None:
            if len(self._label_holds) >= MATCH_CACHE_SIZE:
                self._label_holds.clear()  # bounded: any text can be typed
            held = self._label_holds[concept] = self._labels_hold(concept)
        return held

    def _labels_hold(self, concept: Concept) -> bool:
        if self._label_stems is None:
            self._label_stems = []
            for _facet, _value, label in self.values.values():
                label_stems = textmod.stems(label)
                self._label_stems.append((set(label_stems), f" {' '.join(label_stems)} "))
        return any(
            all(stem in present for stem in concept.typed)
            or any(f" {' '.join(phrase)} " in joined for phrase in concept.alternatives)
            for present, joined in self._label_stems
        )


def count_bits(bitmaps: list[int]) -> list[int]:
    """How many of `bitmaps` hold each page, as binary digits (bit-sliced): digit i holds the
    pages whose count has bit i set. A few big-int operations per bitmap, whatever the pages."""
    digits: list[int] = []
    for carry in bitmaps:
        position = 0
        while carry:
            if position == len(digits):
                digits.append(carry)
                break
            digit = digits[position]
            digits[position], carry = digit ^ carry, digit & carry
            position += 1
    return digits


def exactly(digits: list[int], count: int, universe: int) -> int:
    """The pages of `universe` that count_bits counted exactly `count` times."""
    if count >> len(digits):
        return 0
    pages = universe
    for position, digit in enumerate(digits):
        pages &= digit if count >> position & 1 else universe & ~digit
    return pages


@dataclass
class Tiers:
    """The candidates of a search and the order of their tiers (policy, "Ranking tiers")."""

    candidates: int  # pages matching at least the required number of counted concepts
    exact: int  # pages matching every counted concept
    anywhere: list[int] = field(default_factory=list)  # pages per counted concept
    # How many concepts each page holds in its own text, as binary digits (count_bits).
    own_digits: list[int] = field(default_factory=list)
    # Pages meeting the threshold of a loosened plan, which rank above the other partial
    # matches (QueryPlan.threshold); as `candidates` when the plan was not loosened.
    at_threshold: int = 0

    @classmethod
    def nothing(cls) -> Tiers:
        return cls(candidates=0, exact=0)

    @classmethod
    def everything(cls, all_docs: int) -> Tiers:
        return cls(candidates=all_docs, exact=all_docs)

    @classmethod
    def counted(
        cls, anywhere: list[int], own: list[int], required: int, all_docs: int, threshold: int
    ):
        matched = count_bits(anywhere)
        candidates = at_threshold = 0
        for count in range(max(required, 1), len(anywhere) + 1):
            pages = exactly(matched, count, all_docs)
            candidates |= pages
            if count >= threshold:
                at_threshold |= pages
        return cls(
            candidates=candidates,
            exact=exactly(matched, len(anywhere), all_docs),
            anywhere=anywhere,
            own_digits=count_bits(own),
            at_threshold=at_threshold,
        )

    def in_order(self, by_score: bool):
        """(pages, whether they match every concept) per tier, best first (policy, "Ranking
        tiers"): the full matches, by score those with more concepts in their own text first;
        then, by score, the partial matches meeting the threshold of a loosened plan; then the
        rest. Each tier is then in the sort's order."""
        if not self.anywhere:
            yield self.candidates, True
            return
        rest = self.candidates & ~self.exact
        if by_score:
            for own in range(len(self.anywhere), -1, -1):
                tier = exactly(self.own_digits, own, self.exact)
                if tier:
                    yield tier, True
            yield rest & self.at_threshold, False
            rest &= ~self.at_threshold
        else:
            yield self.exact, True
        yield rest, False


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
    The ids are read as one JSON array: half the cost of splitting the string and reading each.
    """
    if not ids_text:
        return 0
    flags = bytearray(b"0" * (size_bytes * 8))
    for doc_id in json.loads(f"[{ids_text}]"):
        flags[doc_id] = 49  # "1"
    flags.reverse()  # the lowest id is the lowest bit
    return int(flags, 2)


def ids_json(bits: int) -> str:
    """The ids in a bitmap as a JSON array, for SQLite's json_each (lowest id first)."""
    flags = bin(bits)[:1:-1]  # the lowest id is the first character
    return "[" + ",".join(str(found.start()) for found in re.finditer("1", flags)) + "]"


def flags_blob(bits: int) -> bytes:
    """A bitmap as one byte per page id, b"1" where set (byte i is id i), for SQLite's substr."""
    return bin(bits)[:1:-1].encode("ascii")


def bitmap_from_flags(flags: bytes) -> int:
    """The bitmap flags_blob wrote."""
    return int(flags[::-1], 2)
