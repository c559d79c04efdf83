"""Snippets and matched rows, from a plan and a document's stored text, for every engine.

Built in Python: the SNIPPET_WORDS-word window with the most matches (synonym phrases
included), HTML-escaped, matches in <mark>.
"""

from __future__ import annotations

import bisect
import functools
import html
import re

from search import text as textmod

from .plan import QueryPlan

SNIPPET_WORDS = 32
# A cluster's highlighter counts characters: about SNIPPET_WORDS words.
SNIPPET_CHARACTERS = 200


def marked_concepts(plan: QueryPlan):
    """The concepts a snippet marks and a row must hold: those that count (stop words are not
    marked), or every concept of a plan that counts none."""
    return plan.meaningful or plan.concepts


@functools.lru_cache(maxsize=256)  # one per query: every hit on a page shares it
def _highlight_pattern(plan: QueryPlan) -> re.Pattern:
    """Every word a snippet marks, as one regex over space-joined stems: the typed stems alone,
    and each synonym phrase whole. A lookahead tries every word start, longest phrase first,
    so overlapping phrases all count."""
    concepts = marked_concepts(plan)
    singles = {(stem,) for c in concepts for stem in c.typed}
    singles |= {p for c in concepts for p in c.alternatives if len(p) == 1}
    phrases = {p for c in concepts for p in c.alternatives if len(p) > 1}
    alternatives = sorted(singles | phrases, key=lambda words: (-len(words), words))
    body = "|".join(" ".join(map(re.escape, words)) for words in alternatives)
    return re.compile(f"(?<![^ ])(?=({body})(?![^ ]))")


def _marked_positions(stems_text: str, pattern: re.Pattern) -> list[int]:
    """The word positions (0-based, ascending) the pattern marks in space-joined stems."""
    marked: list[int] = []
    word, cursor = 0, 0
    for match in pattern.finditer(stems_text):
        word += stems_text.count(" ", cursor, match.start())
        cursor = match.start()
        last = word + match.group(1).count(" ")
        start = max(word, marked[-1] + 1) if marked else word
        marked.extend(range(start, last + 1))
    return marked


def _best_window(marked: list[int], window: int) -> tuple[int, int]:
    """(marks, start) of the earliest `window`-word passage holding the most marked words."""
    top, top_start, first = 0, 0, 0
    for last, position in enumerate(marked):
        while position - marked[first] >= window:
            first += 1
        if last - first + 1 > top:
            top, top_start = last - first + 1, max(0, position - window + 1)
    return top, top_start


def snippet(
    texts: list[str], plan: QueryPlan, size: int = SNIPPET_WORDS, indexed_stems=None
) -> str:
    """The passage with the most matches, HTML-escaped, with matched words in <mark>.

    `indexed_stems`, when given, holds each text's FTS column, in the same order.
    """
    pattern = _highlight_pattern(plan) if plan.concepts else None
    best = None
    for position, raw in enumerate(texts):
        scanned = textmod.scan(raw, indexed_stems[position] if indexed_stems else None)
        count = scanned.word_count
        if not count:
            continue
        marked = _marked_positions(scanned.stems_text, pattern) if pattern else []
        window = min(size, count)
        top, top_start = _best_window(marked, window)
        if best is None or top > best[0]:
            best = (top, scanned, marked, top_start, window)
        if top and best[0] == top and raw is texts[0]:
            break  # a match in the summary reads best; stop there
    if best is None:
        return ""
    _, scanned, marked, start, window = best
    source, count = scanned.source, scanned.word_count
    # Start a little before the first match so it has context.
    following = bisect.bisect_left(marked, start)
    first_mark = start
    if following < len(marked) and marked[following] < start + window:
        first_mark = marked[following]
    start = max(0, min(start, first_mark - 4))
    end = min(count, start + window)
    spans = scanned.spans(start, end)
    marked_here = set(marked[bisect.bisect_left(marked, start) : bisect.bisect_left(marked, end)])
    pieces = ["\u2026 " if start > 0 else ""]
    cursor = spans[0][0] if start > 0 else 0
    for i, (token_start, token_end) in enumerate(spans, start):
        if i in marked_here:  # plain text up to each marked word, escaped in one piece
            pieces.append(html.escape(source[cursor:token_start]))
            pieces.append(f"<mark>{html.escape(source[token_start:token_end])}</mark>")
            cursor = token_end
    if end > start:
        last_end = spans[-1][1]
        pieces.append(html.escape(source[cursor:last_end]))
        cursor = last_end
    if end < count:
        pieces.append(html.escape(source[cursor : spans[-1][1] + 1].rstrip()) + " \u2026")
    else:
        pieces.append(html.escape(source[cursor:].rstrip()))
    return "".join(pieces).replace("</mark> <mark>", " ")


def concepts_in(text: str, plan: QueryPlan) -> int:
    """How many of the query's concepts a text holds (its words, or a synonym phrase)."""
    text_stems = textmod.stems(text)
    present = set(text_stems)
    joined = f" {' '.join(text_stems)} "
    return sum(
        all(stem in present for stem in concept.typed)
        or any(f" {' '.join(phrase)} " in joined for phrase in concept.alternatives)
        for concept in marked_concepts(plan)
    )


def matched_row(document: dict, plan: QueryPlan, exact: bool = True) -> tuple[str, str] | None:
    """(anchor, snippet) of the recommendation row a result matched, or None.

    A row is the match when it holds every concept the page matched on (all of them for a full
    match, all but one for a partial one) and more than the page's title and summary do:
    "carbon monoxide monitoring" is a row of the smoking evidence page, while "smoking" is what
    the whole page is about. Both engines use this, on the indexed document.
    """
    rows = document.get("rows") or []
    concepts = marked_concepts(plan)
    if not rows or not concepts:
        return None
    needed = len(concepts) if exact else max(1, min(plan.required, len(concepts) - 1))
    best, covered = None, 0
    for row in rows:
        count = concepts_in(row["text"], plan)
        if count > covered:
            best, covered = row, count
    head = f"{document.get('title') or ''}\n{document.get('summary') or ''}"
    if best is None or covered < needed or covered <= concepts_in(head, plan):
        return None
    return best["anchor"], snippet([best["text"]], plan)
