"""The header's search box on every page: the query typed, and how long a query may be."""

from search.facets import MAX_QUERY_LENGTH


def search_box(request):
    return {
        "site_search_query": request.GET.get("q", "")[:MAX_QUERY_LENGTH] if request else "",
        "search_max_length": MAX_QUERY_LENGTH,
    }
