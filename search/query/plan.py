"""The query plan: what a query asks for, before any engine turns it into its own language.

A query is split into the thesaurus's concepts, longest synonym phrase first; a concept matches
its typed words (all of them, in any order) or any synonym as an exact phrase. Concepts made
only of words that carry no topic (search/stopwords.txt) do not count: a page is never ranked
down for missing "does" or "our". Of the concepts that count, a page must match `required`
(policy.required_concepts: all of one, all but one of two to four, a share of longer
queries). The typed words together are a phrase boost, and in a long query each pair of
meaningful words typed next to each other (policy.PAIR_BOOSTS_FROM): they change the ranking,
never what matches. So do the kinds of page the query names ("guidelines", "worked elsewhere":
search/wanted_types.txt), whose type prior is raised (policy.type_boost).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

from search import policy
from search import text as textmod
from search.stopwords import get_stopwords
from search.synonyms import Concept, Thesaurus
from search.wanted_types import wanted_types


@dataclass(frozen=True)
class QueryPlan:
    text: str
    concepts: tuple[Concept, ...]
    # Positions in `concepts` of the concepts that count (not made only of stop words).
    counted: tuple[int, ...] = ()
    # How many counted concepts a page must match.
    required: int = 0
    # The threshold a loosened plan came from (QueryPlan.loosened): pages meeting it still rank
    # above the partial matches that fill the page. 0 for a plan that was not loosened.
    loosened_from: int = 0
    # Typed concepts (positions in `concepts`) that no page holds: no page matches every word.
    absent: tuple[int, ...] = ()
    # Adjacent meaningful words of a long query, phrase boosts: ((stem, stem), (word, word)).
    pairs: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = ()
    # The kinds of page the query names (search/wanted_types.txt): their type prior is raised.
    wanted_types: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.text)

    @property
    def matches_nothing(self) -> bool:
        """Text was typed but none of it is a word (only punctuation or emoji)."""
        return self.has_text and not self.concepts

    @property
    def meaningful(self) -> tuple[Concept, ...]:
        """The concepts that count, in the order typed."""
        return tuple(self.concepts[index] for index in self.counted)

    @property
    def typed(self) -> tuple[str, ...]:
        """Every typed stem, in order."""
        return tuple(stem for concept in self.concepts for stem in concept.typed)

    @property
    def phrase(self) -> tuple[str, ...] | None:
        """The typed stems as a phrase boost, when there are two or more."""
        typed = self.typed
        return typed if len(typed) >= 2 else None

    @property
    def partial(self) -> bool:
        """Whether pages missing a counted concept are listed after the full matches."""
        return self.required < len(self.counted)

    def loosened(self) -> QueryPlan:
        """The plan that lists every page matching any counted concept, best first: what a
        search shows, with a notice, when no page reaches `required`, and what fills the
        page when too few do (policy.too_few_matches); the pages meeting `required` still come
        first (`threshold`)."""
        return dataclasses.replace(
            self, required=min(1, len(self.counted)), loosened_from=self.required
        )

    @property
    def threshold(self) -> int:
        """How many counted concepts a page must match to rank above the partial matches."""
        return max(self.loosened_from, self.required)

    def counting(self, frequencies, pages: int) -> QueryPlan:
        """The plan counting only the concepts that tell pages apart (`frequencies`: how many
        of the `pages` hold each counted concept). A concept no page holds cannot be matched;
        one most pages hold (policy.COMMON_SHARE, as Lucene's cutoff_frequency) still scores
        but is not required. A query with no such concept keeps the ones pages hold; with
        none at all, the plan stays as it is (nothing matches)."""
        present = [(i, n) for i, n in zip(self.counted, frequencies, strict=True) if n]
        distinctive = tuple(i for i, n in present if not policy.is_common(n, pages))
        counted = distinctive or tuple(i for i, _n in present)
        if not counted or counted == self.counted:
            return self
        absent = tuple(i for i, n in zip(self.counted, frequencies, strict=True) if not n)
        return dataclasses.replace(
            self,
            counted=counted,
            required=policy.required_concepts(len(counted)),
            absent=absent,
        )

    def words_of(self, positions) -> list[str]:
        """The typed words of these counted concepts (by position in `meaningful`)."""
        meaningful = self.meaningful
        return [" ".join(meaningful[i].words or meaningful[i].typed) for i in sorted(positions)]


def carries_a_topic(concept: Concept, stopwords: frozenset[str]) -> bool:
    return bool(concept.alternatives) or not all(word in stopwords for word in concept.words)


def adjacent_pairs(concepts, stopwords: frozenset[str]):
    """The pairs of meaningful words typed next to each other, in order, without repeats, when
    the query has at least policy.PAIR_BOOSTS_FROM meaningful words (a stop word breaks a
    pair)."""
    typed = [
        (stem, word, word in stopwords)
        for concept in concepts
        for stem, word in zip(concept.typed, concept.words or concept.typed, strict=False)
    ]
    if sum(not stop for _stem, _word, stop in typed) < policy.PAIR_BOOSTS_FROM:
        return ()
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for (stem_a, word_a, stop_a), (stem_b, word_b, stop_b) in itertools.pairwise(typed):
        if not (stop_a or stop_b):
            found.setdefault((stem_a, stem_b), (word_a, word_b))
    return tuple(found.items())


def acronyms_typed(query: str) -> set[str]:
    """The folded words typed in capitals (policy.typed_as_acronym): never stop words."""
    return {
        textmod.fold(match.group())
        for match in textmod.WORD_RE.finditer(textmod.normalise(query))
        if policy.typed_as_acronym(match.group())
    }


def plan_query(query: str, thesaurus: Thesaurus, stopwords: frozenset[str] | None = None):
    """The plan for a query. A query made only of stop words counts all of them; a stop word
    typed in capitals ("IT", "US") is an acronym and counts."""
    concepts = tuple(thesaurus.concepts(query or ""))
    stopwords = get_stopwords() if stopwords is None else stopwords
    if acronyms := acronyms_typed(query or "") & stopwords:
        stopwords = stopwords - acronyms
    seen = set()
    counted = tuple(
        i
        for i, c in enumerate(concepts)
        if carries_a_topic(c, stopwords) and not (c.typed in seen or seen.add(c.typed))
    )
    if not counted:
        counted = tuple(range(len(concepts)))
    return QueryPlan(
        text=query or "",
        concepts=concepts,
        counted=counted,
        required=policy.required_concepts(len(counted)),
        pairs=adjacent_pairs(concepts, stopwords),
        wanted_types=wanted_types(query or ""),
    )
