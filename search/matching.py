"""Every page a search lists, by the engine's own rules: what feeds and email alerts follow.

A results page shows 20 hits at a time; a feed or an alert needs the whole result set (partial
matches included), so it pages through the same `engine.search` the page uses. Nothing here
restates a matching rule, so a feed or an alert can never match differently from the page.
"""

from __future__ import annotations

import dataclasses

from search.engines.base import FacetValue, Hit, SearchRequest
from search.facets import FACETS

# Results asked for per engine call when walking a whole result set (a cluster allows 10,000
# from + size, so 500 a batch reaches the end of any result set the site can hold).
BATCH_SIZE = 500


@dataclasses.dataclass
class WholeResult:
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]  # as the first page's response lists them

    @property
    def ids(self) -> set[int]:
        return {hit.id for hit in self.hits}


def every_hit(engine, request: SearchRequest) -> WholeResult:
    """All hits of the search, in the engine's order for `request.sort`."""
    hits: list[Hit] = []
    page = 1
    while True:
        response = engine.search(dataclasses.replace(request, page=page, page_size=BATCH_SIZE))
        if page == 1:
            facets = response.facets
        hits.extend(response.hits)
        if page >= response.pages or not response.hits:
            return WholeResult(hits, facets)
        page += 1


def describe_search(request: SearchRequest, facets: dict[str, list[FacetValue]]) -> str:
    """The search in words, for a feed title or an alert: the query and the selected filters.

    Labels come from the response's facet lists (a selected value is always listed); a value
    the engine did not list is shown as typed.
    """
    labels = {
        (name, value.value): value.label for name, values in facets.items() for value in values
    }
    parts = [f"\u201c{request.query}\u201d"] if request.query else []
    for facet in FACETS:
        values = request.filters.get(facet.name, ())
        if values:
            shown = " or ".join(labels.get((facet.name, value), value) for value in values)
            parts.append(f"{facet.label}: {shown}")
    return "; ".join(parts) if parts else "Everything"


def search_key(request: SearchRequest) -> str:
    """One string per distinct search (query and filters; sort and page do not change the set)."""
    parts = [request.query]
    for name in sorted(request.filters):
        parts.append(name + "=" + ",".join(sorted(request.filters[name])))
    return "\x1f".join(parts)
