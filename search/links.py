"""Links into search, and the parameters they carry: the only place a search URL is built.

The page, its feed, alerts and other apps all use these. kb never imports search; it links here
by the route's name with the same `url_with_query`.
"""

from kb.contexts.links import SEARCH_ROUTE, url_with_query
from search.facets import FACETS

FEED_ROUTE = "search-feed"
ALERT_SIGNUP_ROUTE = "alert-subscribe"


def filters_from(params) -> dict[str, list[str]]:
    """The facet selections in a query string (a QueryDict), in facet order."""
    return {
        facet.name: params.getlist(facet.name) for facet in FACETS if params.getlist(facet.name)
    }


def search_params(query="", filters=None) -> dict:
    """The words and facet selections as URL parameters, in facet order (empty ones dropped
    by `url_with_query`)."""
    filters = filters or {}
    return {"q": query, **{facet.name: list(filters.get(facet.name, ())) for facet in FACETS}}


def search_url(query="", filters=None, sort="relevance", page=1) -> str:
    """The search page with this query, facet selections, sort and page.

    Defaults are left out, so the plainest search is just the route's path.
    """
    return url_with_query(
        SEARCH_ROUTE,
        **search_params(query, filters),
        sort=sort if sort != "relevance" else "",
        page=page if page > 1 else "",
    )


def results_url(search_request) -> str:
    """The first page of a search's results (what a feed or an alert links back to)."""
    return search_url(search_request.query, search_request.filters)


def search_query_string(search_request) -> str:
    """The query string a feed or alert keeps: the words and filters (no sort, no page)."""
    return results_url(search_request).partition("?")[2]


def search_feed_url(search_request) -> str:
    return url_with_query(FEED_ROUTE, **search_params(search_request.query, search_request.filters))


def alert_signup_url(search_request) -> str:
    """Where "Get emails about this search" goes (the alerts app's sign-up, same query string)."""
    return url_with_query(
        ALERT_SIGNUP_ROUTE, **search_params(search_request.query, search_request.filters)
    )
