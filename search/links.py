"""Links into the search page: the only way other apps (and the page itself) build one."""

from kb.contexts.links import SEARCH_ROUTE, url_with_query
from search.facets import FACETS


def search_url(query="", filters=None, sort="relevance", page=1) -> str:
    """The search page with this query, facet selections (in facet order), sort and page.

    Defaults are left out, so the plainest search is just the route's path.
    """
    filters = filters or {}
    return url_with_query(
        SEARCH_ROUTE,
        q=query,
        **{facet.name: list(filters.get(facet.name, ())) for facet in FACETS},
        sort=sort if sort != "relevance" else "",
        page=page if page > 1 else "",
    )
