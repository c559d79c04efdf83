"""The Atom feed of any search lists exactly the pages the results page lists, newest first."""

import xml.etree.ElementTree as ET

import pytest

from search.engines import SearchRequest, get_engine
from search.facets import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def listed_on_the_page(client, query_string):
    """Every result link the /search/ page shows, page after page."""
    urls, number = [], 1
    while True:
        response = client.get(f"/search/?{query_string}&page={number}")
        response_obj = response.context["response"]
        urls += [hit.url for hit in response_obj.hits]
        if number >= response_obj.pages:
            return urls
        number += 1


@pytest.mark.parametrize(
    "query_string",
    [
        "q=smoking+pregnancy&theme=smoking",
        "theme=housing&type=case_study",
        "q=cousin+marriage+genetics",
    ],
)
def test_feed_lists_what_the_search_page_lists(client, query_string):
    page = client.get(f"/search/?{query_string}")
    assert f'href="/search/feed.atom?{query_string.replace("&", "&amp;")}"' in page.content.decode()
    feed = client.get(f"/search/feed.atom?{query_string}")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    links = [
        entry.find(f"{ATOM}link").get("href").split("://", 1)[1].split("/", 1)[1]
        for entry in entries
    ]
    on_page = listed_on_the_page(client, query_string)
    assert on_page and sorted("/" + link for link in links) == sorted(on_page)
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert all(entry.find(f"{ATOM}summary").get("type") == "text" for entry in entries)
    assert all("<mark>" not in (entry.find(f"{ATOM}summary").text or "") for entry in entries)
    # valid Atom: a feed id, title, updated and self link; each entry an id, title, updated
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    assert root.find(f"{ATOM}title").text.startswith("Search: ")
    assert all(entry.find(f"{ATOM}id") is not None for entry in entries)


def test_feed_names_the_search(client):
    title = ET.fromstring(client.get("/search/feed.atom?q=damp&theme=housing").content).find(
        f"{ATOM}title"
    )
    assert title.text == "Search: \u201cdamp\u201d; Theme: Housing"


def test_feed_bad_input_is_a_400(client):
    response = client.get("/search/feed.atom?q=" + "x" * (MAX_QUERY_LENGTH + 1))
    assert (
        response.status_code == 400
        and f"{MAX_QUERY_LENGTH} characters or fewer".encode() in response.content
    )


def test_feed_of_more_results_than_one_engine_batch(client, monkeypatch):
    from search import matching

    monkeypatch.setattr(matching, "BATCH_SIZE", 7)
    total = get_engine().search(SearchRequest()).total
    assert total > 7
    assert len(matching.every_hit(get_engine(), SearchRequest()).hits) == total
