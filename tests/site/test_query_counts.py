"""Each public page type runs at most 20 SQL queries, whatever the amount of content.

Measured in steady state: one request warms per-process caches (content types, site root
paths), as a running server would have, then the measured request is counted. This is the cost
of rendering, so the page cache is off here: it adds one query to a miss and answers a hit
with one (tests/kb/test_page_cache.py).

A bound alone cannot see an N+1 on a page with few rows, so:
- every listing (index pages, glossary, feeds) is measured with all its rows, where one query
  per row would blow the bound on its own;
- for detail pages, the page of a type with the most related rows is measured against the one
  with the fewest, and both must run the same number of queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import (
    AreaPage,
    CaseStudyPage,
    EvidenceSummaryPage,
    NewsPage,
    ResourcePage,
    Theme,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    settings.PAGE_CACHE_ENABLED = False


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def measure(client, url, warm_up="/"):
    assert client.get(warm_up).status_code == 200
    return count_queries(client, url)


# --- Listings: every row on one page --------------------------------------------------------

LISTINGS = {
    "home": "/",
    "case study index": "/case-studies/",
    "resource index": "/resources/",
    "evidence index": "/evidence/",
    "area index": "/areas/",
    "news index": "/news/",
    "glossary": "/glossary/",
    "national picture": "/evidence/national-picture/",
    "latest feed": "/feeds/latest.atom",
    "search": "/search/?q=breastfeeding&theme=breastfeeding",
}


def test_listings_show_enough_rows_to_expose_a_query_per_row():
    assert ResourcePage.objects.live().exclude(publisher=None).count() > MAX_QUERIES
    assert CaseStudyPage.objects.live().count() > 10
    assert AreaPage.objects.live().count() > MAX_QUERIES


@pytest.mark.parametrize("name", list(LISTINGS))
def test_listing_query_count(client, name):
    assert measure(client, LISTINGS[name]) <= MAX_QUERIES


# --- Detail pages: the biggest and the smallest of each type cost the same -------------------


def family_pages(model, theme):
    return model.objects.live().filter(themes__in=theme.family()).distinct().count()


def hub_size(hub):
    return family_pages(CaseStudyPage, hub.theme) + family_pages(ResourcePage, hub.theme)


def case_study_size(page):
    return sum(
        getattr(page, relation).count()
        for relation in (
            "themes",
            "areas",
            "interventions",
            "organisations",
            "outcomes",
            "contacts",
            "related_resources",
        )
    )


def resource_size(page):
    return (
        page.themes.count()
        + page.interventions.count()
        + CaseStudyPage.objects.filter(related_resources=page).count()
    )


def area_size(page):
    return CaseStudyPage.objects.live().filter(areas=page.area).count()


def news_size(page):
    return page.themes.count() + page.areas.count() + page.quotes.count()


def theme_feed_size(theme):
    return family_pages(CaseStudyPage, theme) + family_pages(ResourcePage, theme)


def extremes(items, size):
    """The item with the most related rows and the one with the fewest (but at least one)."""
    sized = sorted(
        ((size(item), index, item) for index, item in enumerate(items) if size(item) > 0),
        key=lambda entry: entry[:2],
    )
    (small_size, _, smallest), (big_size, _, biggest) = sized[0], sized[-1]
    assert big_size > small_size, "need pages of different sizes"
    return biggest, smallest


def hub_pair():
    hubs = EvidenceSummaryPage.objects.live().exclude(theme=None).select_related("theme")
    return [hub.url for hub in extremes(list(hubs), hub_size)]


def theme_feed_pair():
    themes = extremes(list(Theme.objects.filter(parent=None)), theme_feed_size)
    return [f"/feeds/themes/{theme.slug}.atom" for theme in themes]


def page_pair(queryset, size):
    return [page.url for page in extremes(list(queryset), size)]


DETAIL_PAIRS = {
    "theme hub": hub_pair,
    "case study": lambda: page_pair(CaseStudyPage.objects.live(), case_study_size),
    "resource": lambda: page_pair(ResourcePage.objects.live(), resource_size),
    "area": lambda: page_pair(AreaPage.objects.live().select_related("area"), area_size),
    "news": lambda: page_pair(NewsPage.objects.live(), news_size),
    "theme feed": theme_feed_pair,
}


@pytest.mark.parametrize("name", list(DETAIL_PAIRS))
def test_biggest_and_smallest_page_of_a_type_cost_the_same(client, name):
    biggest, smallest = DETAIL_PAIRS[name]()
    assert biggest != smallest
    big_count = measure(client, biggest, warm_up=smallest)
    small_count = measure(client, smallest, warm_up=biggest)
    assert big_count <= MAX_QUERIES, (biggest, big_count)
    assert big_count == small_count, (biggest, big_count, smallest, small_count)


def test_the_search_page_reuses_the_navigation_until_content_changes(client):
    """Issue 24: the search page (never in the page cache: it has a query string) read the site,
    the view restrictions and the sections for its header on every request: four queries. Now
    one (the page cache's generation) while no content changed."""
    from kb.contexts.navigation import forget_shared_sections

    url = "/search/?q=smoking&theme=reducing-maternal-smoking&type=case_study"
    forget_shared_sections()
    assert client.get(url).status_code == 200  # warms the per-process caches
    forget_shared_sections()
    cold = count_queries(client, url)
    warm = count_queries(client, url)
    assert warm == cold - 3  # the site, the view restrictions and the sections
    assert warm == 1  # the generation number: the search itself reads only its index

    section = CaseStudyPage.objects.live().first().get_parent().specific
    section.title = "Case studies, renamed"
    section.save_revision().publish()  # any content write bumps the generation
    response = client.get(url)
    assert "Case studies, renamed" in response.content.decode()
    assert count_queries(client, url) == warm
