"""Spelling: which typed words may be corrected, the nearest index word, and the corrected query.

The rules of what may be corrected and how far are search/policy.py's; an engine supplies only
its own word list (the embedded engine's `words` table) or its suggester's options.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search import policy
from search import text as textmod
from search.dictionary import DictionaryUnavailable, get_dictionary
from search.stopwords import is_stopword
from search.synonyms import Thesaurus, get_thesaurus


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


def real_words() -> frozenset[str]:
    """Correct English words (search.dictionary's word list), or none when it is not installed
    (the system check says so): a correct word is never a misspelling."""
    try:
        return get_dictionary()
    except DictionaryUnavailable:
        return frozenset()


@dataclass(frozen=True)
class SpellingRules:
    """The query rules that need the thesaurus: which typed words may be corrected."""

    known_words: frozenset[str] = frozenset()
    thesaurus: Thesaurus = field(default_factory=Thesaurus, compare=False)
    # Correct English and words that carry no topic: never corrected.
    dictionary: frozenset[str] = field(default_factory=real_words, compare=False, repr=False)

    def may_correct_word(self, typed: str, word: str) -> bool:
        """policy.may_correct, and never a dictionary word or a stop word (each a real word:
        "smoking while pregnant" is not "smoking whole pregnant")."""
        return (
            policy.may_correct(typed, word, self.known_words)
            and word not in self.dictionary
            and not is_stopword(word)
        )

    @classmethod
    def current(cls) -> SpellingRules:
        return cls.from_thesaurus(get_thesaurus())

    @classmethod
    def from_thesaurus(cls, thesaurus: Thesaurus) -> SpellingRules:
        # Acronyms are a subset of known_words; both are listed for a hand-made thesaurus.
        return cls(frozenset(thesaurus.known_words) | frozenset(thesaurus.acronyms), thesaurus)

    def may_correct(self, typed: str) -> bool:
        """policy.may_correct for one whitespace-separated token as typed."""
        folded = textmod.words(typed)
        if len(folded) != 1:
            return False
        return self.may_correct_word(typed, folded[0])


def corrected_query(
    query: str,
    rules: SpellingRules,
    is_known: Callable[[str], bool],
    nearest: Callable[[str], str | None],
) -> str | None:
    """The query with each correctable word that `is_known` refuses replaced by `nearest`, or
    None when nothing changed. Capitals, numbers, short words, thesaurus words, dictionary
    words and stop words stay."""
    changed = False
    output = []
    for match in textmod.WORD_RE.finditer(textmod.normalise(query)):
        typed = match.group()
        for word in textmod.words(typed):
            keep = not rules.may_correct_word(typed, word) or is_known(word)
            replacement = None if keep else nearest(word)
            if replacement:
                changed = True
            output.append(replacement or word)
    return " ".join(output) if changed else None
