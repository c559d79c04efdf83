"""Words that carry no topic here (`stopwords.txt`): question words, pronouns, fillers.

Best match uses them so that a page is never ranked down for missing "does", "actually" or
"our". The file is read once per process; it changes only with a deploy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search.text import fold
from search.word_files import FirstLines, content_lines, one_word

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")


class StopwordsFileError(ValueError):
    """A malformed line in the stop words file (the message names the line)."""


def parse_stopwords(text: str) -> frozenset[str]:
    """The folded words of the stop words format: one word per line, `#` starts a comment.

    A line that is not exactly one word as `search.text.words` splits text ("how to", "don't",
    "-") or a word listed twice is refused with StopwordsFileError rather than skipped, so a typo
    never silently changes what search ignores.
    """
    first_lines = FirstLines(StopwordsFileError, "stop words")
    for number, line in content_lines(text):
        word = one_word(
            line,
            number,
            StopwordsFileError,
            "stop words",
            "letters and digits only, one word per line",
        )
        first_lines.note(word, number)
    return frozenset(first_lines.lines)


@lru_cache(maxsize=1)
def get_stopwords() -> frozenset[str]:
    """The shipped list, parsed on first use and kept for the life of the process."""
    return parse_stopwords(STOPWORDS_FILE.read_text(encoding="utf-8"))


def is_stopword(word: str) -> bool:
    """Whether a word (in any case) carries no topic: `is_stopword("Does")` is True."""
    return fold(word) in get_stopwords()
