"""Synonyms and acronyms: the curated `synonyms.txt` plus the report's glossary.

Expansion happens at query time on stems, so editing the file or the glossary changes results
at once, without re-indexing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from search.text import stem, stems, words
from search.word_files import content_lines

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
logger = logging.getLogger(__name__)

Phrase = tuple[str, ...]  # stems, in order


@dataclass(frozen=True)
class Concept:
    """One idea in a query: the words typed, and every way of saying it."""

    typed: Phrase  # the stems the user typed (matched as separate words, in any order)
    alternatives: tuple[Phrase, ...] = ()  # synonym phrases (matched as exact phrases)
    words: tuple[str, ...] = ()  # the folded words typed, for spelling correction
    # Each alternative as folded words ("accident and emergency"), for an engine that stems
    # with its own stemmer (OpenSearch's porter2 stems a few words unlike PyStemmer).
    alternative_words: tuple[str, ...] = ()


@dataclass
class Thesaurus:
    groups: list[list[Phrase]] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)  # folded acronyms (a subset of known_words)
    # Folded words of every group and glossary term: never spell-corrected.
    known_words: set[str] = field(default_factory=set)
    _by_phrase: dict[Phrase, set[int]] = field(default_factory=dict)
    _words_of: dict[Phrase, str] = field(default_factory=dict)  # stems -> words first seen
    _longest: int = 1

    def add_group(self, phrases: list[str]):
        stemmed = list(dict.fromkeys(tuple(stems(p)) for p in phrases if stems(p)))
        if len(stemmed) < 2:
            return
        index = len(self.groups)
        self.groups.append(stemmed)
        for phrase in stemmed:
            self._by_phrase.setdefault(phrase, set()).add(index)
            self._longest = max(self._longest, len(phrase))
        for text in phrases:
            self._words_of.setdefault(tuple(stems(text)), " ".join(words(text)))
            self.known_words.update(words(text))
            stripped = text.strip()
            if " " not in stripped and len(stripped) >= 2 and stripped.isupper():
                self.acronyms.update(words(stripped))

    def synonyms_of(self, phrase: Phrase) -> tuple[Phrase, ...]:
        found: dict[Phrase, None] = {}
        for index in sorted(self._by_phrase.get(phrase, ())):
            for other in self.groups[index]:
                if other != phrase:
                    found[other] = None
        return tuple(found)

    def concepts(self, query: str) -> list[Concept]:
        """Split a query into concepts, joining the longest known phrases first.

        >>> thesaurus.concepts("cot death support")  # doctest: +SKIP
        [Concept(typed=('cot', 'death'), alternatives=(('sudi',), ...)), Concept(('support',))]
        """
        typed_words = words(query)
        query_stems = [stem(word) for word in typed_words]
        result = []
        position = 0
        while position < len(query_stems):
            for length in range(min(self._longest, len(query_stems) - position), 0, -1):
                span = tuple(query_stems[position : position + length])
                if length == 1 or span in self._by_phrase:
                    alternatives = self.synonyms_of(span)
                    result.append(
                        Concept(
                            typed=span,
                            alternatives=alternatives,
                            words=tuple(typed_words[position : position + length]),
                            alternative_words=tuple(self._words_of[p] for p in alternatives),
                        )
                    )
                    position += length
                    break
        return result


class SynonymsFileError(ValueError):
    """A malformed line in the synonyms file (the message names the line)."""


def parse_synonyms(text: str) -> list[list[str]]:
    """Groups from the synonyms file format: comma-separated phrases, `#` starts a comment.

    A line that is not a group (one phrase, or an empty phrase between commas) is refused with
    SynonymsFileError rather than skipped, so a typo never silently drops a rule.
    """
    groups = []
    for number, line in content_lines(text):
        phrases = [phrase.strip() for phrase in line.split(",")]
        if len(phrases) < 2 or not all(phrases) or not all(words(p) for p in phrases):
            raise SynonymsFileError(
                f"synonyms line {number}: {line!r} is not two or more comma-separated phrases"
            )
        groups.append(phrases)
    return groups


def build_thesaurus(groups: list[list[str]], glossary: list[tuple[str, str]] = ()) -> Thesaurus:
    thesaurus = Thesaurus()
    for group in groups:
        thesaurus.add_group(group)
    for term, expansion in glossary:
        thesaurus.add_group([term, expansion])
        # Also when the entry makes no group (e.g. no expansion): acronyms stay known words.
        thesaurus.acronyms.update(words(term))
        thesaurus.known_words.update(words(term))
    return thesaurus


def glossary_pairs() -> list[tuple[str, str]]:
    """The report glossary as (acronym, expansion); empty when the database is not ready."""
    # Imported here: the engines import this module, and they never import Django models.
    from django.db import DatabaseError

    from kb.models import GlossaryTerm  # (as above)

    try:
        return list(GlossaryTerm.objects.values_list("term", "expansion"))
    except DatabaseError:
        logger.warning("glossary unavailable; searching with synonyms.txt only")
        return []


# Other worker processes do not see this process's glossary signals, so the cache also expires.
CACHE_SECONDS = 300
_cached: tuple[float, Thesaurus] | None = None


def synonym_sources() -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Both engines' synonym sources: the file's groups and the glossary's (acronym, expansion)."""
    return parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8")), glossary_pairs()


def get_thesaurus() -> Thesaurus:
    """The file's groups plus the glossary, rebuilt after `invalidate()` or CACHE_SECONDS."""
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > CACHE_SECONDS:
        _cached = (now, build_thesaurus(*synonym_sources()))
    return _cached[1]


def invalidate(**_kwargs):
    """Forget the cached thesaurus (connected to GlossaryTerm saves and deletes)."""
    global _cached
    _cached = None
