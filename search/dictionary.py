"""A dictionary of correct English words, so spelling correction leaves real words alone.

Issue 22 found "smoking while pregnant" offered "smoking whole pregnant" and "analyst" offered
"analyse": both were correct words that the index happens not to hold. The words come from
Debian's British English word list (package `wbritish`, installed by `make deps` and `.ci/run`),
read once per process: 73,052 folded words, about 6 MB, 0.1 to 0.2 s on a busy 2-core machine.

Only the dictionary's own words count: a word the site's text uses is known to the index
already, and the spelling rules check that themselves.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search.text import fold, normalise, words

WORD_LIST = Path("/usr/share/dict/british-english")
WORD_LIST_PACKAGE = "wbritish"


class DictionaryUnavailable(RuntimeError):
    """The word list is not installed (the message says how to install it)."""


def parse_word_list(text: str) -> frozenset[str]:
    """Folded words of a word list, one entry a line: "Analyst" and "analyst" are one word,
    "Bogotá" is "bogota". Possessives ("analyst's") are left out: the word itself is listed,
    and a search splits "analyst's" into "analyst" and "s" anyway."""
    known = set()
    for line in text.splitlines():
        entry = line.strip()
        if entry.isascii():
            # Nearly every entry: a plain word is lower-cased, anything else (a possessive) is
            # left out, without the regex (a tenth of the time: this runs once per process).
            if entry.isalnum():
                known.add(entry.lower())
            continue
        entry = normalise(entry)
        if words(entry) == [fold(entry)]:
            known.add(fold(entry))
    return frozenset(known)


def missing_word_list(path: Path = WORD_LIST) -> str | None:
    """Why the word list cannot be read, or None; cheap (no reading), for the system check."""
    if Path(path).is_file():
        return None
    return (
        f"the word list {path} is missing: install Debian's {WORD_LIST_PACKAGE} "
        f"(`make deps` does, or `apt-get install {WORD_LIST_PACKAGE}`)"
    )


def load_word_list(path: Path = WORD_LIST) -> frozenset[str]:
    if problem := missing_word_list(path):
        raise DictionaryUnavailable(problem)
    return parse_word_list(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def get_dictionary() -> frozenset[str]:
    """The installed word list, read on first use and kept for the life of the process."""
    return load_word_list()


def is_known_word(word: str) -> bool:
    """Whether a word is correct English in any case: "Analyst", "whole", "while", "analyse",
    "paediatrician" and "London" are; "pregancy" is not. British spellings only, as the list
    has them ("analyze" is not known, so it may still be corrected to the site's "analyse")."""
    folded = fold(normalise(word.strip()))
    return bool(folded) and folded in get_dictionary()
