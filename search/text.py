"""How text becomes index terms, shared by indexing, querying and highlighting.

FTS5 has no Snowball stemmer, so the embedded engine stems words here and stores the stems. The
same functions run on documents, on queries and on snippets, so the three always agree.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import Stemmer

# Letters and digits only: the same characters SQLite's unicode61 tokenizer keeps, so a stem we
# write is never split differently when FTS5 reads it back.
WORD_RE = re.compile(r"[^\W_]+")

_stemmer = Stemmer.Stemmer("english")
_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class Token:
    word: str  # folded surface form: lower case, no accents
    stem: str
    start: int  # character offsets in the original text
    end: int


def fold(text: str) -> str:
    """Lower case without accents, so "Café" and "cafe" are the same word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    if not _COMBINING_RE.search(decomposed):
        return decomposed.casefold()
    marks = _every_combining_mark()
    # No mark is ASCII: stripping them run by run skips a body's long ASCII stretches, about
    # ten times faster than running the large character class over the whole text.
    return _NON_ASCII_RUN_RE.sub(lambda run: marks.sub("", run.group()), decomposed).casefold()


@lru_cache(maxsize=1)
def _every_combining_mark() -> re.Pattern:
    """All characters with a combining class, as unicodedata.combining sees them (built once,
    on the first accented text: a regex removes them far faster than a test per character)."""
    marks = [code for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))]
    ranges, first, last = [], marks[0], marks[0]
    for code in marks[1:] + [-1]:
        if code == last + 1:
            last = code
            continue
        ranges.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        first = last = code
    return re.compile("[" + "".join(ranges) + "]")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def normalise(text: str) -> str:
    """Composed Unicode, so a word splits the same way before and after folding."""
    return unicodedata.normalize("NFC", text or "")


def words(text: str) -> list[str]:
    """Folded words of a text, in order."""
    return WORD_RE.findall(fold(normalise(text)))


def stem_words(folded_words: list[str]) -> list[str]:
    return _stemmer.stemWords(folded_words)


def stems(text: str) -> list[str]:
    return _stemmer.stemWords(words(text))


def tokens(text: str) -> list[Token]:
    """Words with their offsets in `normalise(text)`, for highlighting.

    Folding can change a string's length (e.g. "ß" becomes "ss"), so outside ASCII the offsets
    come from matching each original word separately.
    """
    source = normalise(text)
    folded = fold(source)
    if len(folded) == len(source):  # nearly always: offsets in the folded text still line up
        matches = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(folded)]
    else:
        matches = [
            (word, m.start(), m.end())
            for m in WORD_RE.finditer(source)
            for word in WORD_RE.findall(fold(m.group()))
        ]
    word_stems = _stemmer.stemWords([word for word, _start, _end in matches])
    return [
        Token(word, word_stem, start, end)
        for (word, start, end), word_stem in zip(matches, word_stems, strict=True)
    ]


@dataclass(frozen=True)
class ScannedText:
    """A text's stems in order, as one space-joined string, and the character spans of the
    words a snippet shows, on demand.

    A snippet needs every stem (to find the best passage) but the offsets of only the words it
    shows; building a Token per word of a long body was half the cost of a search page. The
    stems stay one string, as the index stores them, so matching runs as one regex pass.
    """

    source: str  # normalise(text): the string the spans index into
    stems_text: str  # the stems, joined by single spaces
    _folded: str | None  # the folded text, when its offsets line up with `source`
    _tokens: list[Token] | None  # otherwise the tokens, offsets already mapped

    @property
    def stems(self) -> list[str]:
        return self.stems_text.split()

    @property
    def word_count(self) -> int:
        return self.stems_text.count(" ") + 1 if self.stems_text else 0

    def spans(self, start: int, stop: int) -> list[tuple[int, int]]:
        """(start, end) of words start to stop - 1."""
        if self._tokens is not None:
            return [(t.start, t.end) for t in self._tokens[start:stop]]
        found = WORD_RE.finditer(self._folded, _after_words(self._folded, start))
        return [m.span() for m in islice(found, stop - start)]


# Runs of whole words, each a separator run then a word run, that no backtracking can split:
# skipping a long body's first words in a few regex calls instead of one match object per word.
_WORD_RUNS = [
    (count, re.compile(rf"(?:[\W_]*+[^\W_]++){{{count}}}")) for count in (1024, 128, 16, 1)
]


def _after_words(text: str, count: int) -> int:
    """The offset just after the first `count` words of `text` (words as WORD_RE finds them);
    the end of the text when it has fewer."""
    position = 0
    for size, run in _WORD_RUNS:
        while count >= size:
            found = run.match(text, position)
            if found is None:
                return len(text)
            position = found.end()
            count -= size
    return position


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _folds_alike(character: str) -> bool:
    """Whether folding keeps this character on its side of a word boundary: a letter or digit
    folds to letters or digits ("é" to "e", "ß" to "ss"), anything else to no letter or digit
    ("’", "…" to "..."). Not "™" (to "TM"), "½" (to "1⁄2") or a lone combining mark (to nothing)."""
    folded = fold(character)
    is_word = WORD_RE.fullmatch(character) is not None
    return bool(folded) and all((WORD_RE.fullmatch(ch) is not None) == is_word for ch in folded)


def _folds_word_for_word(source: str) -> bool:
    """Whether the words of `source`, folded one by one, are the words of its folded form: true
    for ASCII and for nearly all English text, accents and curly quotes included."""
    return source.isascii() or all(map(_folds_alike, set(_NON_ASCII_RE.findall(source))))


def scan(text: str, indexed_stems: str | None = None) -> ScannedText:
    """The stems of `text`, as `tokens` would give them, without building every token.

    `indexed_stems` is the text's FTS column (its stems joined by single spaces, as the index
    wrote them): where folding moves no word boundary, those are this text's stems, and the
    spans come from `text` itself, so it is neither folded nor stemmed again.
    """
    source = normalise(text)
    if indexed_stems is not None and _folds_word_for_word(source):
        return ScannedText(source, indexed_stems, source, None)
    folded = fold(source)
    if len(folded) == len(source):
        words = WORD_RE.findall(folded)
        return ScannedText(source, " ".join(_stemmer.stemWords(words)), folded, None)
    found = tokens(source)
    return ScannedText(source, " ".join(t.stem for t in found), None, found)
