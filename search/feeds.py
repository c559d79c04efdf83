"""An Atom feed of any search: `/search/feed.atom` with the results page's own query string.

The feed lists the pages the search lists (the engine's rules, partial matches included, via
`search.matching.every_hit`), the most recently published or updated first, so a reader
subscribed to a filtered search hears of each new match. Summaries are plain text.
"""

from __future__ import annotations

import dataclasses
import html
import logging

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.html import strip_tags
from wagtail.models import Page

from kb.contexts.visibility import public
from kb.feeds import FEED_SIZE, PlainTextAtomFeed
from search.engines import EngineUnavailable, InvalidSearchRequest, SearchRequest, get_engine
from search.links import filters_from, results_url, search_feed_url
from search.matching import WholeResult, describe_search, every_hit

logger = logging.getLogger(__name__)


def newest_hits(hits, limit=FEED_SIZE):
    """Hits with their pages' publication dates, last published or updated first."""
    dates = {
        row[0]: row[1:]
        for row in public(Page)
        .filter(pk__in=[hit.id for hit in hits])
        .values_list("pk", "first_published_at", "last_published_at")
    }
    dated = [(hit, *dates[hit.id]) for hit in hits if hit.id in dates]
    dated.sort(key=lambda row: (row[2] or row[1], row[0].id), reverse=True)
    return dated[:limit]


@dataclasses.dataclass
class FeedSearch:
    request: SearchRequest
    result: WholeResult


class SearchFeed(Feed):
    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidSearchRequest as error:
            return HttpResponse(error.message, status=400, content_type="text/plain")
        except EngineUnavailable as error:
            logger.warning("search unavailable; feed answered 503: %s", error)
            response = HttpResponse(
                "Search is unavailable; try again shortly.", status=503, content_type="text/plain"
            )
            response["Retry-After"] = str(error.retry_after)
            return response

    def get_object(self, request):
        """The search and its whole result set, found once for the title and the entries."""
        params = request.GET
        search_request = SearchRequest.build(
            query=params.get("q", ""), filters=filters_from(params)
        )
        return FeedSearch(search_request, every_hit(get_engine(), search_request))

    def title(self, search):
        return f"Search: {describe_search(search.request, search.result.facets)}"

    def subtitle(self, search):
        return (
            "Pages matching this search in the infant and maternal health inequalities "
            "knowledge base, most recently published or updated first."
        )

    def link(self, search):
        return results_url(search.request)

    def feed_url(self, search):
        return search_feed_url(search.request)

    def items(self, search):
        return newest_hits(search.result.hits)

    def item_title(self, item):
        hit = item[0]
        return f"{hit.type}: {hit.title}"

    def item_description(self, item):
        return html.unescape(strip_tags(item[0].snippet))

    def item_link(self, item):
        return item[0].url

    def item_guid(self, item):
        return item[0].url

    def item_pubdate(self, item):
        return item[1]

    def item_updateddate(self, item):
        return item[2] or item[1]

    def item_categories(self, item):
        return item[0].themes
