"""A subscription's search: built, described and matched by the search app's own rules."""

from __future__ import annotations

from search.engines import SearchRequest, get_engine
from search.matching import describe_search, every_hit, search_key

from .models import search_hash


def request_for(query, filters) -> SearchRequest:
    """The validated search (raises InvalidSearchRequest, as the page does)."""
    return SearchRequest.build(query=query, filters=filters)


def canonical(search_request: SearchRequest) -> dict:
    """What a subscription stores of its search."""
    return {
        "query": search_request.query,
        "filters": {name: sorted(values) for name, values in search_request.filters.items()},
        "search_hash": search_hash(search_key(search_request)),
    }


def preview(search_request: SearchRequest):
    """The search in words and how many pages match it now (one engine call)."""
    response = get_engine().search(search_request)
    return describe_search(search_request, response.facets), response.total


def matching(engine, search_request: SearchRequest):
    """Every page the search lists now, as `search.matching.WholeResult`."""
    return every_hit(engine, search_request)
