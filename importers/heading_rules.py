"""The heading rules (heading_rules.txt) read into patterns: a bad line is refused, naming it.

The rules are data so an editor or developer can add the headings a new site uses without
touching the parser; this module is the one place their syntax is defined.
"""

from __future__ import annotations

import re
from pathlib import Path

RULES_PATH = Path(__file__).with_name("heading_rules.txt")
ROLES = (
    "summary", "aims", "what_was_done", "evaluation", "outcomes", "learning", "contacts",
    "started", "audience", "how_to_obtain", "languages", "published",
)  # fmt: skip
WORD = r"\w+"
# What a phrase may hold once every "\w+" is taken out: words, spaces, apostrophes, hyphens,
# and the three bits of pattern the file allows: groups, alternatives and "optional".
PLAIN = re.compile(r"^[A-Za-z0-9 '’()|?-]*$")


class HeadingRulesError(ValueError):
    """A line of the rules file that cannot be read; the message names the file and line."""


def _phrase_pattern(phrase, where):
    if not phrase:
        raise HeadingRulesError(f"{where}: an empty phrase (two '|' together, or one at an end)")
    if not PLAIN.match(phrase.replace(WORD, "")):
        raise HeadingRulesError(
            f"{where}: {phrase!r} uses characters a phrase may not (only words, spaces, "
            "\"'\", '-', '(a|b)', '?' and '\\w+')"
        )
    if phrase.count("(") != phrase.count(")") or phrase.lstrip().startswith("?"):
        raise HeadingRulesError(f"{where}: {phrase!r} has unbalanced brackets or a stray '?'")
    try:
        re.compile(phrase)
    except re.error as error:
        raise HeadingRulesError(f"{where}: {phrase!r} is not a valid phrase ({error})") from None
    return phrase


def split_alternatives(text):
    """Split at '|' outside brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def parse_rules(text, source="heading_rules.txt"):
    """[(role, compiled pattern)] in file order. Raises HeadingRulesError for a bad line."""
    rules, seen = [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}, line {number}"
        role, colon, rest = line.partition(":")
        role = role.strip()
        if not colon:
            raise HeadingRulesError(f"{where}: expected 'role: phrase | phrase', got {line!r}")
        if role not in ROLES:
            raise HeadingRulesError(f"{where}: unknown role {role!r} (one of: {', '.join(ROLES)})")
        if role in seen:
            raise HeadingRulesError(f"{where}: {role!r} has a rule already; add phrases to it")
        seen.add(role)
        phrases = [_phrase_pattern(p, where) for p in split_alternatives(rest.strip())]
        pattern = re.compile(r"^\W*(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)
        rules.append((role, pattern))
    return rules


def load_rules(path=RULES_PATH):
    return parse_rules(path.read_text(encoding="utf-8"), source=path.name)
