"""What the commented word files (synonyms.txt, stopwords.txt, wanted_types.txt) share: `#`
starts a comment, blank lines are skipped, a word is one word as search.text.words splits text,
and an entry listed twice is refused naming the line it is already on. Each file's parser adds
its own line format and error class."""

from __future__ import annotations

from search.text import fold, words


def content_lines(text: str):
    """(line number, text without its comment) for each line that holds something."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            yield number, line


def one_word(entry: str, number: int, error: type[ValueError], file_label: str, hint: str) -> str:
    """The folded word if `entry` is exactly one word ("Does" is "does"); otherwise `error`
    naming the line ("how to", "don't" and "well-being" are not one word)."""
    if words(entry) != [fold(entry)]:
        raise error(f"{file_label} line {number}: {entry!r} is not one word ({hint})")
    return fold(entry)


class FirstLines:
    """Where each entry was first listed, so a repeat is refused naming that line."""

    def __init__(self, error: type[ValueError], file_label: str):
        self.error, self.file_label, self.lines = error, file_label, {}

    def note(self, entry: str, number: int) -> None:
        if entry in self.lines:
            raise self.error(
                f"{self.file_label} line {number}: {entry!r} is already on line {self.lines[entry]}"
            )
        self.lines[entry] = number
