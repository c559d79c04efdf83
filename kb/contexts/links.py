"""Links every page shares: theme hubs, theme and area links, and links to other routes.

kb never imports search: it links into search by the route's name, as templates do with
`{% url %}`, and `search.links.search_url` builds its links with the same `url_with_query`.
"""

from django.urls import reverse
from django.utils.http import urlencode

from kb.models.pages import EvidenceSummaryPage
from kb.models.taxonomy import confirmed_only

from .visibility import public

SEARCH_ROUTE = "search"


def query_string(**params):
    """The non-empty parameters as a query string.

    A list repeats the parameter (theme=a&theme=b); the search ORs values within a facet.
    """
    return urlencode({key: value for key, value in params.items() if value}, doseq=True)


def url_with_query(route_name, **params):
    """The named route's path with the non-empty parameters as its query string."""
    query = query_string(**params)
    return reverse(route_name) + (f"?{query}" if query else "")


def theme_search_query(theme):
    """The query string of a search over the theme and the themes under it."""
    return query_string(theme=[member.slug for member in theme.family()])


def theme_search_url(theme):
    """A search over the theme and the themes under it."""
    return f"{reverse(SEARCH_ROUTE)}?{theme_search_query(theme)}"


def theme_url(theme, hub_urls):
    """Where a theme link goes: its hub where there is one, else a search over its family."""
    return hub_urls.get(theme.pk) or theme_search_url(theme)


def evidence_pages(request):
    """Every live evidence summary, in tree order, fetched once per request."""
    cached = getattr(request, "_kb_evidence_pages", None)
    if cached is None:
        cached = list(
            public(EvidenceSummaryPage, request)
            .order_by("path")
            .only("pk", "title", "path", "depth", "url_path", "theme_id")
        )
        request._kb_evidence_pages = cached
    return cached


def hub_urls_by_theme(request):
    """Theme id -> URL of its evidence summary (the theme hub)."""
    return {hub.theme_id: hub.get_url(request) for hub in evidence_pages(request) if hub.theme_id}


def national_picture(request):
    """The evidence summary with no theme: the national picture (Section 1 of the report)."""
    return next((hub for hub in evidence_pages(request) if hub.theme_id is None), None)


def theme_links(themes, hub_urls):
    """Themes as (name, url) pairs: the hub where there is one, else a filtered search."""
    return [{"theme": theme, "url": theme_url(theme, hub_urls)} for theme in themes]


def area_links(areas, request):
    """Confirmed areas with their area page URL where one is published (a proposed area is
    shown nowhere public)."""
    links = []
    for area in confirmed_only(areas):
        page = getattr(area, "page", None)
        url = page.get_url(request) if page is not None and page.live else ""
        links.append({"area": area, "url": url})
    return links
