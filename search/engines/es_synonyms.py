"""Synonym rules for the cluster (OpenSearch or Elasticsearch), from the embedded engine's sources.

The groups come from search/synonyms.py (the curated synonyms.txt plus the report's glossary),
so both engines know the same equivalences and the same acronyms. They are written in Solr's
synonym format, which `synonym_graph` reads; commas inside a phrase (the glossary has
"Department for Children, Schools and Families") are escaped so a phrase is never split.
"""

from __future__ import annotations

import re

from search.synonyms import synonym_sources

_SPECIAL = re.compile(r"([\\,=>])")
_WORD = re.compile(r"[^\W_]")


def _escape(phrase: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(phrase.split()))


def rules_from(groups: list[list[str]], glossary: list[tuple[str, str]]) -> list[str]:
    """One equivalence rule per group, then one per glossary acronym, in source order.

    Phrases without a letter or digit are dropped: the analyzer would reduce them to nothing,
    and the servers refuse a rule with an empty side.
    """
    rules = []
    for phrases in [*groups, *([term, expansion] for term, expansion in glossary)]:
        kept = list(dict.fromkeys(_escape(p) for p in phrases if _WORD.search(p)))
        if len(kept) >= 2:
            rules.append(", ".join(kept))
    return list(dict.fromkeys(rules))


def synonym_rules() -> list[str]:
    """Today's rules: synonyms.txt, then the glossary (read from the database)."""
    return rules_from(*synonym_sources())
