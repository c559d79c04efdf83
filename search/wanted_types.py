"""Words that name the kind of page a searcher wants (`wanted_types.txt`): "guidelines" asks for
resources, "worked elsewhere" for case studies. The plan carries the kinds a query names
(QueryPlan.wanted_types) and each engine multiplies their type prior (policy.type_boost).

The file is read once per process; it changes only with a deploy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from search.text import words
from search.word_files import FirstLines, content_lines, one_word

WANTED_TYPES_FILE = Path(__file__).with_name("wanted_types.txt")
TYPE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class WantedTypesFileError(ValueError):
    """A malformed line in the wanted types file (the message names the line)."""


def parse_wanted_types(text: str) -> dict[str, str]:
    """Folded word -> type key, from the format `type_key: word word …` (`#` starts a comment).

    A line that is not a type key, a colon and one or more words, a word that is not one word as
    `search.text.words` splits text, and a word or type key listed twice are refused with
    WantedTypesFileError rather than skipped, so a typo never silently changes the ranking.
    """
    wanted: dict[str, str] = {}
    key_lines = FirstLines(WantedTypesFileError, "wanted types")
    word_lines = FirstLines(WantedTypesFileError, "wanted types")
    for number, line in content_lines(text):
        key, colon, listed = line.partition(":")
        key, listed = key.strip(), listed.split()
        if not colon or not TYPE_KEY.match(key) or not listed:
            raise WantedTypesFileError(
                f"wanted types line {number}: {line!r} is not `type_key: word word …`"
            )
        key_lines.note(key, number)
        for entry in listed:
            word = one_word(
                entry, number, WantedTypesFileError, "wanted types", "letters and digits only"
            )
            word_lines.note(word, number)
            wanted[word] = key
    return wanted


@lru_cache(maxsize=1)
def get_wanted_types() -> dict[str, str]:
    """The shipped list, parsed on first use and kept for the life of the process."""
    return parse_wanted_types(WANTED_TYPES_FILE.read_text(encoding="utf-8"))


def wanted_types(query: str, listed: dict[str, str] | None = None) -> tuple[str, ...]:
    """The kinds of page a query names, in the order typed, without repeats."""
    listed = get_wanted_types() if listed is None else listed
    return tuple(dict.fromkeys(listed[word] for word in words(query) if word in listed))
