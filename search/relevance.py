"""Relevance measurement: judged queries, MRR and success@3, for our engine and Wagtail's.

Judgements live in tests/relevance/judgements.yaml. success@3 means every judged page is in the
top 3; the reciprocal rank is 1/rank of the first judged page (0 when none is in the top 20).
Scores are given overall and by kind of query (the `kind` before any parenthesis), so a rule
that helps one kind of query and hurts another shows up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from wagtail.models import Page

from kb.contexts.visibility import public
from search.documents import SEARCHABLE_MODELS
from search.engines import SearchRequest

JUDGEMENTS_FILE = Path(settings.BASE_DIR) / "tests" / "relevance" / "judgements.yaml"
DEPTH = 20

# Each judged query belongs to a batch. `core` (issue 13) is held query by query: every judged
# page in the top 3 (ASSERTED_BATCHES). `practitioner` (issue 22: full questions, long
# descriptions of a local problem, jargon and lay words) is held by group, as issue 22 sets its
# targets: success@3 of 95% allows a miss.
CORE = "core"
PRACTITIONER = "practitioner"
BATCHES = (CORE, PRACTITIONER)
ASSERTED_BATCHES = (CORE,)

# Issue 22's targets: (MRR, success@3) over every judged query, and for questions and long
# queries separately; the embedded engine (the default) meets them.
ISSUE_22_TARGETS = {"all": (0.92, 0.95), "question": (0.92, 0.95), "long": (0.92, 0.95)}
# What best match reaches on both engines (6 December 2026; docs/search.md, "Relevance"): the
# suites fail below it, so a rule that helps one kind of query and hurts another shows up.
# OpenSearch's long queries reach 0.912 (its BM25 weighs page length differently), so they are
# held there.
HELD_LEVELS = {
    "all": (0.92, 0.95),
    PRACTITIONER: (0.90, 0.95),
    "question": (0.92, 0.95),
    "long": (0.91, 0.95),
}


@dataclass
class Judgement:
    query: str
    kind: str
    expected: list[str]
    batch: str = CORE

    @property
    def kind_group(self) -> str:
        """The kind without its explanation: "synonym (the content says SUDI)" is "synonym"."""
        return self.kind.split(" (", 1)[0]


@dataclass
class Outcome:
    judgement: Judgement
    urls: list[str]

    @property
    def reciprocal_rank(self) -> float:
        for rank, url in enumerate(self.urls[:DEPTH], start=1):
            if url in self.judgement.expected:
                return 1 / rank
        return 0.0

    @property
    def success_at_3(self) -> bool:
        return set(self.judgement.expected) <= set(self.urls[:3])


class JudgementsFileError(ValueError):
    """A malformed entry in the judgements file (the message names the entry)."""


def load_judgements(path=JUDGEMENTS_FILE) -> list[Judgement]:
    entries = yaml.safe_load(Path(path).read_text())
    if not isinstance(entries, list):
        raise JudgementsFileError(f"{path} is not a list of judgements")
    judgements = []
    for number, entry in enumerate(entries, start=1):
        try:
            judgement = Judgement(**entry)
        except TypeError as error:
            raise JudgementsFileError(f"judgement {number}: {error}") from None
        if judgement.batch not in BATCHES:
            raise JudgementsFileError(
                f"judgement {number} ({judgement.query!r}): batch {judgement.batch!r} "
                f"is not one of {', '.join(BATCHES)}"
            )
        judgements.append(judgement)
    return judgements


def asserted_judgements(path=JUDGEMENTS_FILE) -> list[Judgement]:
    """The judged queries the test suites hold every engine to (see ASSERTED_BATCHES)."""
    return [j for j in load_judgements(path) if j.batch in ASSERTED_BATCHES]


def page_url(url: str) -> str:
    """A result's page: a hit that matched a recommendation row links to the row's anchor."""
    return url.split("#", 1)[0]


def engine_urls(engine, query: str) -> list[str]:
    return [page_url(hit.url) for hit in engine.search(SearchRequest.build(query=query)).hits]


def wagtail_urls(query: str) -> list[str]:
    """Wagtail's own database search over the same live pages."""
    pages = public(Page.objects.type(*SEARCHABLE_MODELS)).search(query)[:DEPTH]
    return [page.url for page in pages]


def evaluate(judgements, search) -> list[Outcome]:
    return [Outcome(j, search(j.query)) for j in judgements]


def summary(outcomes) -> tuple[float, float]:
    count = len(outcomes) or 1
    mrr = sum(o.reciprocal_rank for o in outcomes) / count
    success = sum(o.success_at_3 for o in outcomes) / count
    return mrr, success


def by_kind(outcomes) -> dict[str, list[Outcome]]:
    """Outcomes grouped by kind of query, largest group first (then by name)."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.judgement.kind_group, []).append(outcome)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def by_batch(outcomes) -> dict[str, list[Outcome]]:
    groups = {batch: [o for o in outcomes if o.judgement.batch == batch] for batch in BATCHES}
    return {batch: group for batch, group in groups.items() if group}


def shortfalls(outcomes, levels) -> list[str]:
    """Each group of `levels` ("all", a batch or a kind: (MRR, success@3)) that the outcomes
    fall short of, as "question: MRR 0.914 < 0.92"; and any judged query with no result."""
    groups = {"all": outcomes, **by_batch(outcomes), **by_kind(outcomes)}
    found = [f"no result: {o.judgement.query!r}" for o in outcomes if not o.urls]
    for name, (least_mrr, least_success) in levels.items():
        mrr, success = summary(groups.get(name, []))
        if mrr < least_mrr:
            found.append(f"{name}: MRR {mrr:.3f} < {least_mrr}")
        if success < least_success:
            found.append(f"{name}: success@3 {success:.0%} < {least_success:.0%}")
    return found
