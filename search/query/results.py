"""What a search answers (hits, facet values, notices), and building a hit from a document,
the same for every engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search.facets import FACETS

from .request import SearchRequest
from .snippets import matched_row


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: int
    title: str
    url: str
    type: str  # type label, e.g. "Case study"
    type_key: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    themes: list[str]
    areas: list[str]
    interventions: list[str]
    year: int | None
    score: float = 0.0


@dataclass
class SearchResponse:
    request: SearchRequest
    engine: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected_from: str | None = None  # set when the engine retried with `suggestion`
    warnings: list[str] = field(default_factory=list)
    # How many of `total` match every concept of the query; they are listed first, then the
    # pages missing one (the partial-match rule). None: the engine does not say.
    exact_total: int | None = None
    # The words (of the concepts that count) the first hit matched, for the best-match notice.
    matched_words: list[str] = field(default_factory=list)

    @property
    def pages(self):
        size = self.request.page_size
        return max(1, (self.total + size - 1) // size)

    def to_api(self):
        return {
            "query": self.request.query,
            "total": self.total,
            "page": self.request.page,
            "pages": self.pages,
            "engine": self.engine,
            "results": [
                {
                    "title": hit.title,
                    "url": hit.url,
                    "type": hit.type,
                    "snippet": hit.snippet,
                    "themes": hit.themes,
                    "areas": hit.areas,
                    "interventions": hit.interventions,
                    "year": hit.year,
                }
                for hit in self.hits
            ],
            "facets": {
                facet.name: [vars(value) for value in self.facets.get(facet.name, [])]
                for facet in FACETS
            },
            "suggestion": self.suggestion,
            "warnings": list(self.warnings),
        }


def labels(terms) -> list[str]:
    return [term["label"] for term in terms or []]


def build_hit(
    page_id: int,
    document: dict,
    plan,
    *,
    exact: bool,
    passage: Callable[[], str],
    score: float = 0.0,
) -> Hit:
    """A result from a stored document. When a recommendation row holds what the page matched
    on (matched_row), the hit links to that row and shows it; otherwise `passage()` (the
    engine's best passage of the summary or body) is the snippet."""
    doc_type = (document.get("type") or [{"value": "", "label": ""}])[0]
    url = document.get("url") or ""
    row = matched_row(document, plan, exact=exact) if plan is not None else None
    if row:
        url, text = f"{url}#{row[0]}", row[1]
    else:
        text = passage()
    return Hit(
        id=page_id,
        title=document.get("title") or "",
        url=url,
        type=doc_type["label"],
        type_key=doc_type["value"],
        snippet=text,
        themes=labels(document.get("themes")),
        areas=labels(document.get("areas")),
        interventions=labels(document.get("interventions")),
        year=document.get("year"),
        score=score,
    )
