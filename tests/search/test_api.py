"""GET /api/search/ over the report's content, through real HTTP requests."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.documents import build_document, searchable_pages
from search.facets import FACETS, FACETS_BY_NAME, MAX_QUERY_LENGTH
from tests.search.contract import expected_counts, expected_total

pytestmark = pytest.mark.django_db

RESULT_KEYS = {"title", "url", "type", "snippet", "themes", "areas", "interventions", "year"}


def get(client, **params):
    return client.get("/api/search/", params)


def test_response_shape(client):
    response = get(client, q="cot death")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "query",
        "total",
        "page",
        "pages",
        "engine",
        "results",
        "facets",
        "suggestion",
        "warnings",
    }
    assert (body["query"], body["page"], body["engine"]) == ("cot death", 1, "embedded")
    assert body["total"] >= len(body["results"]) > 0
    assert all(set(result) == RESULT_KEYS for result in body["results"])
    assert set(body["facets"]) == {facet.name for facet in FACETS}
    for values in body["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}


def test_type_labels(client):
    labels = {v["label"] for v in get(client).json()["facets"]["type"]}
    assert labels == {"Case study", "Resource", "Evidence summary", "Area", "News"}


def test_bolton_finds_the_bolton_area_page(client):
    first = get(client, q="Bolton").json()["results"][0]
    assert (first["title"], first["type"], first["url"]) == ("Bolton", "Area", "/areas/bolton/")


def test_snippets_are_marked(client):
    results = get(client, q="breastfeeding").json()["results"]
    assert any("<mark>" in r["snippet"].lower() for r in results)


def test_twenty_per_page(client):
    body = get(client).json()
    assert len(body["results"]) == 20
    assert body["pages"] == -(-body["total"] // 20)
    last = get(client, page=body["pages"]).json()
    assert len(last["results"]) == body["total"] - 20 * (body["pages"] - 1)


def test_typo_is_retried_and_suggested(client):
    body = get(client, q="breastfeding").json()
    assert body["suggestion"] == "breastfeeding"
    assert body["total"] > 0


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "q"),
        ({"sort": "popular"}, "sort"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "10001"}, "page"),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, params, field):
    response = get(client, **params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["detail"]


def test_a_page_past_the_last_is_a_400_naming_the_last_page(client):
    pages = get(client, type="news").json()["pages"]
    assert get(client, type="news", page=pages).status_code == 200
    response = get(client, type="news", page=pages + 1)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Page must be between 1 and {pages} for this search.",
        "field": "page",
    }
    nothing = get(client, q="zzqxjwv", page=2)
    assert nothing.status_code == 400
    assert nothing.json()["detail"] == "Page must be between 1 and 1 for this search."


def test_the_longest_query_is_allowed(client):
    assert get(client, q="a" * MAX_QUERY_LENGTH).status_code == 200


def test_unknown_facet_values_are_ignored_and_reported(client):
    body = get(client, theme=["housing", "not-a-theme"]).json()
    assert any("not-a-theme" in warning for warning in body["warnings"])
    assert body["total"] == get(client, theme="housing").json()["total"]


def test_openapi_schema_describes_the_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/search/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "theme", "area", "intervention", "type", "sort", "page"} <= names
    assert {"200", "400"} <= set(operation["responses"])


def test_suggestions_complete_a_prefix(client):
    body = client.get("/api/search/suggest/", {"q": "breastf"}).json()
    assert body["suggestions"]
    assert all("breastf" in title.lower() for title in body["suggestions"])


def test_a_space_after_the_last_word_means_it_is_finished(client):
    def suggest(q):
        return client.get("/api/search/suggest/", {"q": q}).json()

    assert suggest("smok")["suggestions"]  # "smoking", "smoke" ...
    assert suggest("smok ") == {"query": "smok ", "suggestions": []}  # no title says "smok"
    finished = suggest("young  ")
    assert finished["query"] == "young "
    assert finished["suggestions"]
    assert all(re.search(r"\byoung\b", t, re.IGNORECASE) for t in finished["suggestions"])


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return [build_document(page) for page in searchable_pages()]


def slugs(documents, facet_name, n):
    """The n most used values of a facet in the real content."""
    field = FACETS_BY_NAME[facet_name].field
    counts = {}
    for document in documents:
        for term in document[field]:
            counts[term["value"]] = counts.get(term["value"], 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))[:n]


def test_counts_are_exact_for_every_combination_tried(client, documents):
    options = {
        "theme": slugs(documents, "theme", 3),
        "area": slugs(documents, "area", 2),
        "intervention": slugs(documents, "intervention", 2),
        "type": ["case_study", "resource"],
    }
    subsets = {
        name: [list(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)]
        for name, values in options.items()
    }
    for combination in itertools.product(*subsets.values()):
        filters = dict(zip(subsets, combination, strict=True))
        body = get(client, **filters).json()
        assert body["total"] == expected_total(documents, filters), filters
        for facet in FACETS:
            actual = {v["value"]: v["count"] for v in body["facets"][facet.name]}
            assert actual == expected_counts(documents, filters, facet.name), (filters, facet)


TEXT = st.text(st.characters(codec="utf-8"), max_size=220)
SLUGS = st.lists(st.one_of(TEXT, st.sampled_from(["housing", "bolton", "case_study", ""])))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    q=TEXT,
    theme=SLUGS,
    area=SLUGS,
    intervention=SLUGS,
    type_=SLUGS,
    sort=st.one_of(TEXT, st.sampled_from(["relevance", "newest", "title"])),
    page=st.one_of(TEXT, st.integers(-5, 20_000).map(str)),
)
def test_any_parameters_answer_200_or_400_never_500(
    client, q, theme, area, intervention, type_, sort, page
):
    params = {
        "q": q,
        "theme": theme,
        "area": area,
        "intervention": intervention,
        "type": type_,
        "sort": sort,
        "page": page,
    }
    response = client.get("/api/search/", params)
    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 200:
        assert body["total"] >= 0
    else:
        assert body["detail"]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=st.text(max_size=200))
def test_any_text_query_is_searched_as_text(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
