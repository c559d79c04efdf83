"""Words that carry no topic here (`stopwords.txt`): question words, pronouns, fillers.

Best match uses them so that a page is never ranked down for missing "does", "actually" or
"our". The file is read once per process; it changes only with a deploy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search.text import fold, words

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")


class StopwordsFileError(ValueError):
    """A malformed line in the stop words file (the message names the line)."""


def parse_stopwords(text: str) -> frozenset[str]:
    """The folded words of the stop words format: one word per line, `#` starts a comment.

    A line that is not exactly one word as `search.text.words` splits text ("how to", "don't",
    "-") or a word listed twice is refused with StopwordsFileError rather than skipped, so a typo
    never silently changes what search ignores.
    """
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if words(line) != [fold(line)]:
            raise StopwordsFileError(
                f"stop words line {number}: {line!r} is not one word "
                "(letters and digits only, one word per line)"
            )
        word = fold(line)
        if word in first_line:
            raise StopwordsFileError(
                f"stop words line {number}: {word!r} is already on line {first_line[word]}"
            )
        first_line[word] = number
    return frozenset(first_line)


@lru_cache(maxsize=1)
def get_stopwords() -> frozenset[str]:
    """The shipped list, parsed on first use and kept for the life of the process."""
    return parse_stopwords(STOPWORDS_FILE.read_text(encoding="utf-8"))


def is_stopword(word: str) -> bool:
    """Whether a word (in any case) carries no topic: `is_stopword("Does")` is True."""
    return fold(word) in get_stopwords()
