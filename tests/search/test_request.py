"""SearchRequest.build: one set of rules, strict for the API and the CLI, lenient for the page."""

import pytest

from search.engines import InvalidSearchRequest, SearchRequest
from search.engines.base import SearchResponse, search_within_pages
from search.facets import MAX_PAGE, MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "page, expected",
    [("abc", 1), ("", 1), (None, 1), ("-3", 1), ("0", 1), (" 7 ", 7), ("10001", MAX_PAGE)],
)
def test_lenient_page_is_the_nearest_valid_page(page, expected):
    assert SearchRequest.build(page=page, lenient=True).page == expected


@pytest.mark.parametrize("page", ["abc", "-3", "0", str(MAX_PAGE + 1)])
def test_strict_page_is_an_error(page):
    with pytest.raises(InvalidSearchRequest) as error:
        SearchRequest.build(page=page)
    assert error.value.field == "page"


def test_lenient_sort_falls_back_to_relevance_and_strict_sort_is_an_error():
    assert SearchRequest.build(sort="popular", lenient=True).sort == "relevance"
    assert SearchRequest.build(sort="title", lenient=True).sort == "title"
    with pytest.raises(InvalidSearchRequest) as error:
        SearchRequest.build(sort="popular")
    assert error.value.field == "sort"


def test_an_over_long_query_is_an_error_in_both_modes():
    for lenient in (False, True):
        with pytest.raises(InvalidSearchRequest) as error:
            SearchRequest.build(query="x" * (MAX_QUERY_LENGTH + 1), lenient=lenient)
        assert error.value.field == "q"


class CountingEngine:
    """Answers with a fixed total and records the pages asked for."""

    def __init__(self, total):
        self.total = total
        self.pages_asked = []

    def search(self, request):
        self.pages_asked.append(request.page)
        return SearchResponse(request=request, engine="test", total=self.total)


@pytest.mark.parametrize("total, last_page", [(0, 1), (1, 1), (41, 3)])
def test_a_page_past_the_end_is_the_last_page_or_an_error(total, last_page):
    engine = CountingEngine(total)
    response = search_within_pages(engine, SearchRequest.build(page=9), lenient=True)
    assert response.request.page == last_page
    assert engine.pages_asked == [9, last_page]
    with pytest.raises(InvalidSearchRequest) as error:
        search_within_pages(CountingEngine(total), SearchRequest.build(page=9))
    assert (error.value.field, error.value.message) == (
        "page",
        f"Page must be between 1 and {last_page} for this search.",
    )


def test_a_page_within_range_is_searched_once():
    engine = CountingEngine(41)
    response = search_within_pages(engine, SearchRequest.build(page=3))
    assert response.request.page == 3 and engine.pages_asked == [3]
