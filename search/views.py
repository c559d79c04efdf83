"""The /search/ page: a plain GET form whose URL holds the whole search, so it can be shared.

Bad input never fails the page: an over-long query is a form error, an unknown sort or page
falls back to the nearest valid value, and unknown facet values are ignored with a warning.
"""

from __future__ import annotations

import dataclasses
import logging

from django.http import HttpRequest
from django.shortcuts import render

from search.engines import (
    EngineUnavailable,
    IndexUnavailable,
    InvalidSearchRequest,
    SearchRequest,
    get_engine,
)
from search.engines.base import search_within_pages
from search.facets import FACETS, FACETS_BY_NAME, MAX_QUERY_LENGTH, SORTS
from search.links import alert_signup_url, filters_from, search_feed_url, search_url

logger = logging.getLogger(__name__)

REBUILDING_NOTICE = (
    "The search index is being rebuilt. Please try again in a minute, or browse the case "
    "studies and resources from the home page."
)


def without(filters, facet_name, value=None):
    """The filters with one value (or a whole facet) taken away."""
    remaining = {name: list(values) for name, values in filters.items()}
    if value is None:
        remaining.pop(facet_name, None)
    else:
        remaining[facet_name] = [v for v in remaining.get(facet_name, []) if v != value]
    return remaining


def search_page(request: HttpRequest):
    params = request.GET
    query = params.get("q", "")
    filters = filters_from(params)
    context = {
        "query": query[: MAX_QUERY_LENGTH * 2],
        "sort": params.get("sort", "relevance"),
        "sorts": SORTS,
        "errors": [],
        "response": None,
        "max_query_length": MAX_QUERY_LENGTH,
        # Kept as hidden inputs when there are no results to filter (a form error, or search
        # unavailable), so resubmitting the form keeps the filters and sort from the URL.
        "selected_filters": filters,
    }
    try:
        search_request = SearchRequest.build(
            query=query,
            filters=filters,
            sort=params.get("sort"),
            page=params.get("page"),
            lenient=True,
        )
    except InvalidSearchRequest as error:
        context["errors"].append({"field": error.field, "message": error.message})
        return render(request, "search/search.html", context)
    context["sort"] = search_request.sort
    engine = get_engine()
    try:
        response = search_within_pages(engine, search_request, lenient=True)
    except EngineUnavailable as error:
        logger.warning("search unavailable; answered 503: %s", error)
        context["unavailable"] = True
        if isinstance(error, IndexUnavailable):
            context["unavailable_message"] = REBUILDING_NOTICE
        page = render(request, "search/search.html", context, status=503)
        page["Retry-After"] = str(error.retry_after)
        return page
    context.update(present(response.request, response, engine))
    return render(request, "search/search.html", context)


def present(search_request: SearchRequest, response, engine) -> dict:
    """Everything the template shows, with every link already built."""
    query = search_request.query
    filters = {name: list(values) for name, values in search_request.filters.items()}
    shown_query = response.suggestion if response.corrected_from else query
    facet_groups = []
    chips = []
    for facet in FACETS:
        values = response.facets.get(facet.name, [])
        if not values:
            continue
        facet_groups.append({"facet": facet, "values": values})
        for value in values:
            if value.selected:
                chips.append(
                    {
                        "facet": facet,
                        "label": value.label,
                        "url": search_url(
                            query, without(filters, facet.name, value.value), search_request.sort
                        ),
                    }
                )
    page = search_request.page

    def page_url(number):
        return search_url(query, filters, search_request.sort, number)

    widen = []
    if response.total == 0 and filters:
        for name in filters:
            wider = engine.search(
                dataclasses.replace(
                    search_request, filters=without(search_request.filters, name), page=1
                )
            )
            if wider.total:
                widen.append(
                    {
                        "facet": FACETS_BY_NAME[name],
                        "total": wider.total,
                        "url": search_url(query, without(filters, name), search_request.sort),
                    }
                )
    browse = []
    if response.total == 0:
        # Nothing matched: offer every theme, as a filtered search, to browse by.
        everything = engine.search(SearchRequest.build())
        browse = [
            {"label": value.label, "url": search_url("", {"theme": [value.value]})}
            for value in sorted(everything.facets.get("theme", []), key=lambda v: v.label)
        ]
    return {
        "response": response,
        "results_query": shown_query,
        "browse_themes": browse,
        "facet_groups": facet_groups,
        "chips": chips,
        "clear_all_url": search_url(query, None, search_request.sort),
        "suggestion_url": search_url(response.suggestion, filters, search_request.sort)
        if response.suggestion
        else None,
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page < response.pages else None,
        "widen": widen,
        "feed_url": search_feed_url(search_request),
        "alert_signup_url": alert_signup_url(search_request),
        "first_result_number": search_request.offset + 1,
        "last_result_number": search_request.offset + len(response.hits),
    }
