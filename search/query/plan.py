"""The query plan: what a query asks for, before any engine turns it into its own language.

A query is split into the thesaurus's concepts, longest synonym phrase first; a concept matches
its typed words (all of them, in any order) or any synonym as an exact phrase. The typed words
together are a phrase boost: they change the ranking, never what matches. By the partial-match
rule (policy.partial_matches) a query of several concepts also lists the pages missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from search import policy
from search.synonyms import Concept, Thesaurus


@dataclass(frozen=True)
class QueryPlan:
    text: str
    concepts: tuple[Concept, ...]

    @property
    def has_text(self) -> bool:
        return bool(self.text)

    @property
    def matches_nothing(self) -> bool:
        """Text was typed but none of it is a word (only punctuation or emoji)."""
        return self.has_text and not self.concepts

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
        """Whether pages missing one concept are listed after the full matches."""
        return policy.partial_matches(len(self.concepts))


def plan_query(query: str, thesaurus: Thesaurus) -> QueryPlan:
    return QueryPlan(text=query or "", concepts=tuple(thesaurus.concepts(query or "")))
