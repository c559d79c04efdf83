"""Searching through a real client and transport against a fake node that answers like ES 8.

Response bodies follow the search API's documented format: `hits.total` as an object, filter
aggregations with a nested terms aggregation, term suggester entries with offsets and options,
and error bodies with `error.root_cause`.
"""

from __future__ import annotations

import pytest

from search.engines.base import SearchRequest
from search.engines.cluster import FacetsIncomplete
from search.engines.cluster.dialects import ClusterError
from search.facets import FACETS

from .conftest import matched_text
from .fake_cluster import search_body

SEP = "\u001f"


def terms(*buckets, other=0):
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": other,
        "buckets": [{"key": f"{value}{SEP}{label}", "doc_count": n} for value, label, n in buckets],
    }


def facet_aggregations(**per_facet):
    """A filter aggregation per facet, each holding a terms aggregation called `values`."""
    aggregations = {}
    for facet in FACETS:
        buckets = per_facet.get(facet.name, [])
        aggregations[facet.name] = {
            "doc_count": sum(n for *_, n in buckets),
            "values": terms(*buckets),
        }
    return aggregations


def source(doc_id, title, **extra):
    document = {
        "id": doc_id,
        "title": title,
        "summary": "",
        "type": [{"value": "case_study", "label": "Case study"}],
        "themes": [{"value": "breastfeeding", "label": "Breastfeeding"}],
        "areas": [{"value": "calderdale", "label": "Calderdale"}],
        "regions": ["Yorkshire and the Humber"],
        "interventions": [{"value": "peer-support", "label": "Peer support"}],
        "publisher": [],
        "resource_type": [],
        "evaluation_status": [{"value": "none", "label": "Not evaluated"}],
        "year": 2005,
        "url": f"/case-studies/{doc_id}/",
        "date": None,
    }
    document.update(extra)
    return document


def hit(doc_id, title, score=1.0, highlight=None, **extra):
    raw = {"_index": "kb-test-20250102030405678901", "_id": str(doc_id), "_score": score}
    raw["_source"] = source(doc_id, title, **extra)
    if highlight is not None:
        raw["highlight"] = highlight
    return raw


def test_hits_highlights_and_facets_are_parsed(cluster, es_engine):
    cluster.search_responses.append(
        search_body(
            [
                hit(
                    105,
                    "Breastfeeding peer support in Calderdale",
                    score=7.25,
                    highlight={
                        "summary": ["Mothers keep <mark>breastfeeding</mark> &amp; thrive."],
                        "body": ["Peer supporters visited wards every day."],
                    },
                ),
                hit(
                    109,
                    "Breast feeding guidance",
                    score=3.5,
                    highlight={
                        "summary": ["Guidance on culturally appropriate support."],
                        "body": ["Women asked about <mark>breastfeeding</mark> in clinics."],
                    },
                    type=[{"value": "resource", "label": "Resource"}],
                    year=None,
                ),
            ],
            total=2,
            aggregations={
                **facet_aggregations(
                    theme=[("breastfeeding", "Breastfeeding", 2), ("ethnicity", "Ethnicity", 1)],
                    type=[("case_study", "Case study", 1), ("resource", "Resource", 1)],
                ),
                "selected": {
                    "doc_count": 12,
                    "theme": {"doc_count": 2, "values": terms(("ethnicity", "Ethnicity", 1))},
                },
            },
            suggest={
                "did_you_mean": [
                    {"text": "breastfeeding", "offset": 0, "length": 13, "options": []}
                ]
            },
        )
    )
    response = es_engine.search(SearchRequest.build("breastfeeding", {"theme": ["ethnicity"]}))

    assert response.engine == "elasticsearch"
    assert response.total == 2
    first, second = response.hits
    assert (first.id, first.title, first.url, first.type, first.type_key, first.score) == (
        105,
        "Breastfeeding peer support in Calderdale",
        "/case-studies/105/",
        "Case study",
        "case_study",
        7.25,
    )
    assert (first.themes, first.areas, first.interventions, first.year) == (
        ["Breastfeeding"],
        ["Calderdale"],
        ["Peer support"],
        2005,
    )
    assert first.snippet == "Mothers keep <mark>breastfeeding</mark> &amp; thrive."
    assert (
        second.snippet == "\u2026 Women asked about <mark>breastfeeding</mark> in clinics. \u2026"
    )
    assert (second.type, second.year) == ("Resource", None)
    themes = [(v.value, v.label, v.count, v.selected) for v in response.facets["theme"]]
    assert themes == [
        ("breastfeeding", "Breastfeeding", 2, False),
        ("ethnicity", "Ethnicity", 1, True),
    ]
    assert response.facets["area"] == []
    assert response.suggestion is None and response.corrected_from is None
    assert response.warnings == []
    # What went over the wire is exactly what --show-query prints.
    (sent,) = cluster.sent("POST", "/kb-test/_search")
    assert sent.body == es_engine.explain(
        SearchRequest.build("breastfeeding", {"theme": ["ethnicity"]})
    )


def test_selected_value_without_matches_is_listed_with_zero(cluster, es_engine):
    cluster.search_responses.append(
        search_body(
            [],
            aggregations={
                **facet_aggregations(theme=[("housing", "Housing", 1)]),
                "selected": {
                    "doc_count": 12,
                    "area": {"doc_count": 1, "values": terms(("newcastle", "Newcastle", 1))},
                },
            },
        )
    )
    response = es_engine.search(SearchRequest.build("", {"area": ["newcastle"]}))
    (newcastle,) = response.facets["area"]
    assert (newcastle.value, newcastle.label, newcastle.count, newcastle.selected) == (
        "newcastle",
        "Newcastle",
        0,
        True,
    )


def test_unknown_facet_value_is_dropped_with_a_warning_and_no_second_request(cluster, es_engine):
    """ORed with a known value, an unknown one matches nothing extra: the answer stands."""
    selected = {
        "doc_count": 12,
        "theme": {"doc_count": 1, "values": terms(("housing", "Housing", 1))},
    }
    cluster.search_responses.append(
        search_body(
            [hit(110, "Housing")], aggregations={**facet_aggregations(), "selected": selected}
        )
    )
    response = es_engine.search(SearchRequest.build("", {"theme": ["housing", "no-such-theme"]}))
    (only,) = cluster.sent("POST", "/kb-test/_search")
    assert only.body["post_filter"]["bool"]["filter"] == [
        {"terms": {"themes.value": ["housing", "no-such-theme"]}}
    ]
    assert response.warnings == ["Ignored unknown theme \u201cno-such-theme\u201d."]
    assert [v.value for v in response.facets["theme"] if v.selected] == ["housing"]
    assert response.request.filters == {"theme": ("housing", "no-such-theme")}  # as typed
    assert [h.id for h in response.hits] == [110]


def test_a_facet_with_only_unknown_values_is_dropped_and_the_search_sent_again(cluster, es_engine):
    selected = {
        "doc_count": 12,
        "theme": {"doc_count": 0, "values": terms()},
        "area": {"doc_count": 1, "values": terms(("kirklees", "Kirklees", 1))},
    }
    cluster.search_responses += [
        search_body([], aggregations={**facet_aggregations(), "selected": selected}),
        search_body(
            [hit(110, "Housing")],
            aggregations={
                **facet_aggregations(),
                "selected": {"doc_count": 12, "area": selected["area"]},
            },
        ),
    ]
    response = es_engine.search(
        SearchRequest.build("", {"theme": ["no-such-theme"], "area": ["kirklees"]})
    )
    first, second = cluster.sent("POST", "/kb-test/_search")
    assert first.body["post_filter"]["bool"]["filter"] == [
        {"terms": {"themes.value": ["no-such-theme"]}},
        {"terms": {"areas.value": ["kirklees"]}},
    ]
    assert second.body["post_filter"]["bool"]["filter"] == [
        {"terms": {"areas.value": ["kirklees"]}}
    ]
    assert response.warnings == ["Ignored unknown theme \u201cno-such-theme\u201d."]
    assert [h.id for h in response.hits] == [110]
    assert response.request.filters == {"theme": ("no-such-theme",), "area": ("kirklees",)}


def test_misspelling_is_corrected_and_retried(cluster, es_engine):
    cluster.search_responses += [
        search_body(
            [],
            aggregations=facet_aggregations(),
            suggest={
                "did_you_mean": [
                    {"text": "overcrowding", "offset": 0, "length": 12, "options": []},
                    {
                        "text": "evidnce",
                        "offset": 13,
                        "length": 7,
                        "options": [
                            {"text": "evidence", "score": 0.857, "freq": 2},
                            {"text": "evince", "score": 0.7, "freq": 1},
                        ],
                    },
                ]
            },
        ),
        search_body([hit(110, "Housing and overcrowding")], aggregations=facet_aggregations()),
    ]
    response = es_engine.search(SearchRequest.build("overcrowding evidnce"))
    assert (response.suggestion, response.corrected_from) == (
        "overcrowding evidence",
        "overcrowding evidnce",
    )
    assert [h.id for h in response.hits] == [110]
    first, retry = cluster.sent("POST", "/kb-test/_search")
    assert matched_text(retry.body) == "overcrowding evidence"
    assert "suggest" not in retry.body


def test_suggestions_for_acronyms_and_far_words_are_ignored(cluster, es_engine):
    cluster.search_responses.append(
        search_body(
            [],
            aggregations=facet_aggregations(),
            suggest={
                "did_you_mean": [
                    # A capitalised word is an acronym: never corrected.
                    {
                        "text": "npex",
                        "offset": 0,
                        "length": 4,
                        "options": [{"text": "npeu", "score": 0.75, "freq": 1}],
                    },
                    # Five letters allow one edit under fuzziness AUTO, not two.
                    {
                        "text": "hosng",
                        "offset": 5,
                        "length": 5,
                        "options": [{"text": "housing", "score": 0.6, "freq": 3}],
                    },
                ]
            },
        )
    )
    response = es_engine.search(SearchRequest.build("NPEX hosng"))
    assert response.suggestion is None
    assert response.total == 0
    assert len(cluster.sent("POST", "/kb-test/_search")) == 1


def test_truncated_facet_fails_loudly(cluster, es_engine):
    aggregations = facet_aggregations(area=[("bolton", "Bolton", 3)])
    aggregations["area"]["values"]["sum_other_doc_count"] = 4
    cluster.search_responses.append(search_body([], aggregations=aggregations))
    with pytest.raises(FacetsIncomplete, match="'area'.*4 documents were left out"):
        es_engine.search(SearchRequest.build(""))


@pytest.mark.parametrize(
    "status, error_type, reason",
    [
        (400, "search_phase_execution_exception", "all shards failed"),
        (401, "security_exception", "unable to authenticate with provided credentials"),
        (503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]"),
    ],
)
def test_errors_name_the_cluster_and_the_reason(cluster, es_engine, status, error_type, reason):
    cluster.fail("POST", "/kb-test/_search", status, error_type, reason)
    with pytest.raises(ClusterError) as raised:
        es_engine.search(SearchRequest.build("housing"))
    message = str(raised.value)
    assert message.startswith("Elasticsearch at http://es.test:9200 answered HTTP")
    assert f"HTTP {status}" in message and error_type in message and reason in message
    assert "\n" not in message


def test_missing_alias_is_an_error_not_an_empty_result(cluster, es_engine):
    cluster.fail(
        "POST", "/kb-test/_search", 404, "index_not_found_exception", "no such index [kb-test]"
    )
    with pytest.raises(ClusterError, match="HTTP 404.*index_not_found_exception"):
        es_engine.search(SearchRequest.build("housing"))


def test_autocomplete_titles(cluster, es_engine):
    cluster.search_responses.append(
        search_body([hit(106, "Smoke free homes scheme"), hit(112, "Smoking in pregnancy survey")])
    )
    assert es_engine.suggest("smoke fr") == [
        "Smoke free homes scheme",
        "Smoking in pregnancy survey",
    ]
    (sent,) = cluster.sent("POST", "/kb-test/_search")
    assert sent.body["query"] == {
        "bool": {
            "must": [
                {"match": {"title.words": "smoke"}},
                {"match": {"title.autocomplete": "fr"}},
            ]
        }
    }
    assert sent.body["size"] == 8
    assert es_engine.suggest("   ") == []


def test_partial_matches_carry_the_notice_only_when_nothing_matches_every_concept(
    cluster, es_engine
):
    from search.policy import best_match_notice

    genetics = hit(
        103,
        "Enhanced genetics service",
        score=4.0,
        highlight={"summary": ["A <mark>genetics</mark> service."]},
    )
    genetics["matched_queries"] = ["concept-2"]  # the third counted concept
    nothing_full_body = search_body(
        [genetics], total=1, aggregations={**facet_aggregations(), "exact": {"doc_count": 0}}
    )
    some_full_body = search_body(
        [
            {
                **hit(104, "Cousin marriage and genetics", score=10_004.0),
                "matched_queries": ["exact"],
            },
            genetics,
        ],
        total=2,
        aggregations={**facet_aggregations(), "exact": {"doc_count": 1}},
    )
    # Fewer than policy.FEW_MATCHES at the threshold: each search asks again, loosened.
    cluster.search_responses += [nothing_full_body] * 2 + [some_full_body] * 2
    nothing_full = es_engine.search(SearchRequest.build("cousin zebra genetics"))
    assert [h.id for h in nothing_full.hits] == [103]
    assert (nothing_full.total, nothing_full.exact_total) == (1, 0)
    assert nothing_full.warnings == [best_match_notice(["genetics"])]
    some_full = es_engine.search(SearchRequest.build("cousin marriage genetics"))
    assert [h.id for h in some_full.hits] == [104, 103]
    assert (some_full.total, some_full.exact_total, some_full.warnings) == (2, 1, [])
    for sent in cluster.sent("POST", "/kb-test/_search"):
        assert "exact" in sent.body["aggs"]


def test_a_matched_recommendation_row_links_to_its_anchor(cluster, es_engine):
    rows = [
        {"anchor": "recommendation-1", "text": "Care pathways"},
        {
            "anchor": "recommendation-2",
            "text": "Care pathways: Routine carbon monoxide monitoring and opt out pathway",
        },
    ]
    evidence = hit(
        7,
        "Reducing maternal smoking",
        highlight={"body": ["Routine <mark>carbon</mark> <mark>monoxide</mark> monitoring"]},
        url="/evidence/reducing-maternal-smoking/",
        rows=rows,
    )
    cluster.search_responses.append(
        search_body([evidence], total=1, aggregations=facet_aggregations())
    )
    [result] = es_engine.search(SearchRequest.build("carbon monoxide")).hits
    assert result.url == "/evidence/reducing-maternal-smoking/#recommendation-2"
    assert "<mark>carbon monoxide</mark> monitoring" in result.snippet
    assert result.snippet.startswith("Care pathways: Routine")
