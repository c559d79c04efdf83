"""The JSON API, `GET /api/search/`, described by the OpenAPI schema at `/api/openapi.json`.

Parameters are read as strings and validated by `SearchRequest.build`, the same rules as the page
and the CLI, so bad input is a 400 with a message and never a 500.
"""

from __future__ import annotations

import logging
from typing import Literal

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError
from pydantic import create_model

from search.documents import TYPE_LABELS
from search.engines import (
    EngineUnavailable,
    IndexUnavailable,
    InvalidSearchRequest,
    SearchRequest,
    get_engine,
)
from search.engines.base import search_within_pages
from search.facets import FACETS, MAX_QUERY_LENGTH, TYPE_FACET

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Infant and maternal health knowledge base: search",
    version="1",
    description="Full-text search with facets over case studies, resources, evidence and areas.",
    urls_namespace="search-api",
)


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class ResultOut(Schema):
    title: str
    url: str
    type: str
    snippet: str
    themes: list[str]
    areas: list[str]
    interventions: list[str]
    year: int | None


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    engine: Literal["embedded", "opensearch", "elasticsearch"]
    results: list[ResultOut]
    facets: dict[str, list[FacetValueOut]]
    suggestion: str | None
    warnings: list[str]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class SuggestOut(Schema):
    query: str
    suggestions: list[str]


@api.exception_handler(SuspiciousOperation)
def refused_request(request, error):
    """Too many parameters, or a body over the limit: the same 400 as the rest of the site."""
    return api.create_response(request, {"detail": "Bad request."}, status=400)


@api.exception_handler(ValidationError)
def bad_parameters(request, error):
    return api.create_response(request, {"detail": "Invalid parameters."}, status=400)


def unavailable(request, error: EngineUnavailable):
    """JSON 503 with Retry-After, whatever made search unavailable."""
    logger.warning("search unavailable; answered 503: %s", error)
    detail = (
        "The search index is being rebuilt; try again shortly."
        if isinstance(error, IndexUnavailable)
        else "Search is unavailable; try again shortly."
    )
    response = api.create_response(request, {"detail": detail}, status=503)
    response["Retry-After"] = str(error.retry_after)
    return response


def _facet_description(facet) -> str:
    if facet is TYPE_FACET:
        *first, last = TYPE_LABELS
        return f"{', '.join(first)} or {last} (OR)." if first else f"{last} (OR)."
    return f"{facet.description} (OR)."


# The facet parameters come from search/facets.py, so the OpenAPI schema lists every facet.
SearchParams = create_model(
    "SearchParams",
    __base__=Schema,
    q=(str, Field("", description=f"Words to search for, up to {MAX_QUERY_LENGTH} characters.")),
    **{
        facet.name: (list[str], Field([], description=_facet_description(facet)))
        for facet in FACETS
    },
    sort=(str, Field("relevance", description="relevance, newest or title.")),
    page=(
        str,
        Field(
            "1", description="Page number, 20 results a page; a page past the last one is a 400."
        ),
    ),
)


class SuggestParams(Schema):
    q: str = Field(
        "",
        description="What has been typed so far; the last word is completed as a prefix "
        "unless a space follows it.",
    )


@api.get(
    "/search/",
    response={200: SearchOut, 400: ErrorOut, 503: ErrorOut},
    summary="Search the knowledge base",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    filters = {facet.name: getattr(params, facet.name) for facet in FACETS}
    try:
        search_request = SearchRequest.build(
            query=params.q, filters=filters, sort=params.sort, page=params.page
        )
        response = search_within_pages(get_engine(), search_request)
    except InvalidSearchRequest as error:
        return Status(400, {"detail": error.message, "field": error.field})
    except EngineUnavailable as error:
        return unavailable(request, error)
    return Status(200, response.to_api())


@api.get("/search/suggest/", response={200: SuggestOut, 503: ErrorOut}, summary="Title suggestions")
def suggest(request: HttpRequest, params: Query[SuggestParams]):
    typed = params.q[:MAX_QUERY_LENGTH]
    prefix = SearchRequest.build(query=typed).query
    if prefix and typed[-1:].isspace():
        prefix += " "  # the last word is finished: match it whole, not as a prefix
    try:
        suggestions = get_engine().suggest(prefix)
    except EngineUnavailable as error:
        return unavailable(request, error)
    return Status(200, {"query": prefix, "suggestions": suggestions})
