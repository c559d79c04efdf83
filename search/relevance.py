"""Relevance measurement: judged queries, MRR and success@3, for our engine and Wagtail's.

Judgements live in tests/relevance/judgements.yaml. success@3 means every judged page is in the
top 3; the reciprocal rank is 1/rank of the first judged page (0 when none is in the top 20).
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


@dataclass
class Judgement:
    query: str
    kind: str
    expected: list[str]


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


def load_judgements(path=JUDGEMENTS_FILE) -> list[Judgement]:
    return [Judgement(**entry) for entry in yaml.safe_load(Path(path).read_text())]


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
