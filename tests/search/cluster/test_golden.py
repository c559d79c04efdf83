"""Golden request bodies and the golden index definition.

A change to what is sent to Elasticsearch must show up as a reviewed diff of these files.
Regenerate after an intended change with: KB_UPDATE_GOLDEN=1 pytest tests/search/cluster
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search.engines.base import SearchRequest
from search.engines.cluster.mapping import index_body

from .conftest import file_spelling_rules, make_engine

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: dict):
    path = GOLDEN / f"{name}.json"
    text = json.dumps(actual, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with KB_UPDATE_GOLDEN=1 to create it"
    assert json.loads(path.read_text(encoding="utf-8")) == actual, (
        f"{path.name} differs from what the engine sends; if intended, regenerate it"
    )


REQUESTS = {
    "text_only": SearchRequest.build("smoking in pregnancy"),
    "text_two_facets": SearchRequest.build(
        "breastfeeding support",
        filters={"theme": ["breastfeeding", "ethnicity"], "area": ["bolton", "dudley"]},
    ),
    "sort_newest": SearchRequest.build("housing", sort="newest"),
    "page_3": SearchRequest.build("housing", page=3),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_request_body(name):
    engine = make_engine(client=None)  # explain never needs a connection
    assert_golden(f"request_{name}", engine.explain(REQUESTS[name]))


def test_index_mapping_and_analysis():
    assert_golden("index", index_body())


def test_page_3_starts_at_the_41st_result():
    body = make_engine(client=None).explain(REQUESTS["page_3"])
    assert (body["from"], body["size"]) == (40, 20)


def test_facets_are_disjunctive_in_the_body():
    body = make_engine(client=None).explain(REQUESTS["text_two_facets"])
    theme_values = {"terms": {"themes.value": ["breastfeeding", "ethnicity"]}}
    area_values = {"terms": {"areas.value": ["bolton", "dudley"]}}
    assert body["post_filter"] == {"bool": {"filter": [theme_values, area_values]}}
    assert body["aggs"]["theme"]["filter"] == {"bool": {"filter": [area_values]}}
    assert body["aggs"]["area"]["filter"] == {"bool": {"filter": [theme_values]}}
    assert body["aggs"]["type"]["filter"] == {"bool": {"filter": [theme_values, area_values]}}
    assert "post_filter" not in make_engine(client=None).explain(REQUESTS["text_only"])


def test_acronym_only_query_asks_for_no_spelling_suggestion():
    body = make_engine(client=None).explain(SearchRequest.build("SUDI FNP"))
    assert "suggest" not in body


def test_every_document_field_is_mapped():
    from tests.search.contract import corpus

    mapped = set(index_body()["mappings"]["properties"])
    assert set(corpus()[0]) <= mapped


def test_synonyms_are_expanded_in_the_query_as_phrases_the_index_stems():
    body = make_engine(client=None).explain(SearchRequest.build("cot death"))
    scored = body["query"]["bool"]["must"][0]  # the tiers are beside it, in `should`
    matches = scored["function_score"]["query"]["bool"]["must"][0]  # without phrase boosts
    concept = matches["bool"]["must"][0]
    typed, *phrases = concept["bool"]["should"]
    assert typed["combined_fields"]["query"] == "cot death"
    assert typed["combined_fields"]["operator"] == "and"
    assert {p["multi_match"]["query"] for p in phrases} >= {
        "sudi",
        "sudden unexpected death in infancy",
    }
    # As words, stemmed by the index's own analyser (Lucene's porter2 and PyStemmer differ on
    # a few words, so thesaurus stems could miss the index's terms).
    assert {p["multi_match"]["analyzer"] for p in phrases} == {"kb_english"}
    assert concept["bool"]["minimum_should_match"] == 1
    # A phrase scores field by field: its boosts are what one occurrence earns under BM25F.
    saturated = ["title^1.96", "summary^1.77", "taxonomy^1.49", "body^1"]
    assert {tuple(p["multi_match"]["fields"]) for p in phrases} == {tuple(saturated)}
    assert typed["combined_fields"]["fields"] == ["title^10", "summary^5", "taxonomy^2.5", "body^1"]


def test_bodies_never_carry_parameters_opensearch_refuses():
    from search.engines.cluster.dialects import OpenSearchDialect

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                refused = OpenSearchDialect.REFUSED_QUERY_PARAMETERS.get(key, frozenset())
                assert not (isinstance(value, dict) and refused & set(value)), (key, value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for request in [
        *REQUESTS.values(),
        SearchRequest.build("genetic services for cousin marriage"),
    ]:
        walk(make_engine(client=None).explain(request))


def test_ranking_mirrors_the_embedded_engine():
    from search.policy import TYPE_BOOST

    query = make_engine(client=None).explain(SearchRequest.build("young fathers"))["query"]
    query = query["bool"]["must"][0]  # the text score, beside the tiers
    ranking = query["function_score"]
    assert {f["filter"]["term"]["type.value"]: f["weight"] for f in ranking["functions"]} == (
        TYPE_BOOST
    )
    assert ranking["boost_mode"] == "multiply"
    phrase = ranking["query"]["bool"]["should"][0]["multi_match"]
    assert (phrase["type"], phrase["query"]) == ("phrase", "young fathers")
    assert phrase["fields"] == ["title^1.96", "summary^1.77", "taxonomy^1.49", "body^1"]
    single = make_engine(client=None).explain(SearchRequest.build("fathers"))["query"]
    assert "match_phrase" not in json.dumps(single)  # no phrase boost for one word


def test_partial_matches_list_full_matches_first():
    from search.engines.cluster.query import (
        EXACT_QUERY_NAME,
        FULL_MATCH_TIER,
        OWN_TEXT_TIER,
        text_query,
    )
    from search.query.plan import plan_query

    engine = make_engine(client=None)
    request = SearchRequest.build("genetic services for cousin marriage")
    plan = plan_query(request.query, file_spelling_rules().thesaurus)
    strict = text_query(plan).to_dict()["bool"]["should"][0]["constant_score"]["filter"]
    body = engine.explain(request)  # what search sends: two concepts or more, relaxed
    relaxed = body["query"]["bool"]["must"][0]["function_score"]["query"]
    concepts = strict["bool"]["must"]  # genetic, services, cousin marriage ("for": stop word)
    assert len(concepts) == 3
    relaxed_concepts = relaxed["bool"]["must"][0]["bool"]
    assert relaxed_concepts["should"] == concepts
    assert relaxed_concepts["minimum_should_match"] == 2  # every concept but one
    title_phrase = {"match_phrase": {"title": {"query": "genetic services for cousin marriage"}}}
    assert title_phrase in relaxed["bool"]["should"]
    exact, *tiers = (clause["constant_score"] for clause in body["query"]["bool"]["should"])
    assert (exact["boost"], exact["_name"]) == (FULL_MATCH_TIER, EXACT_QUERY_NAME)
    assert exact["filter"]["bool"]["must"] == concepts  # every concept: the strict query
    # Each concept matched is named for the notice and adds nothing: a partial match is ranked
    # by its text score, not by a count of its concepts. Among the full matches, each concept
    # in the page's own text adds a tier.
    assert [t["boost"] for t in tiers] == [0.0] * 3 + [OWN_TEXT_TIER] * 3
    assert [t["filter"] for t in tiers[:3]] == concepts
    own_text = [t["filter"]["bool"]["filter"] for t in tiers[3:]]
    assert all(full == strict for full, _own in own_text)
    assert "taxonomy^2.5" not in json.dumps([own for _full, own in own_text])
    # The notice needs how many pages match every concept: one filter aggregation.
    counted = body["aggs"][EXACT_QUERY_NAME]["filter"]["bool"]["filter"]
    assert counted[0]["bool"]["must"] == concepts
    # Sorted by date, full matches still come first (score 1 against 0), then by date.
    newest = engine.explain(SearchRequest.build("cousin genetics", sort="newest"))
    assert newest["sort"][0] == {"_score": {"order": "desc"}}
    assert newest["query"]["bool"]["should"][0]["constant_score"]["boost"] == 1.0


def test_a_long_question_needs_a_share_of_its_concepts():
    engine = make_engine(client=None)
    body = engine.explain(
        SearchRequest.build("how can we get young fathers involved before the baby is born")
    )
    matches = body["query"]["bool"]["must"][0]["function_score"]["query"]["bool"]["must"][0]
    # young fathers, involved, before, baby, born: five concepts, three required.
    assert (len(matches["bool"]["should"]), matches["bool"]["minimum_should_match"]) == (5, 3)


def concept_count(query, rules):
    from search.query.plan import plan_query

    return len(plan_query(query, rules.thesaurus).concepts)


def test_most_words_retry_counts_concepts_like_the_embedded_engine():
    from search.engines.cluster.query import QUERY_FIELDS

    rules = file_spelling_rules()
    assert concept_count("cot death support", rules) == 2  # three words, two concepts
    assert concept_count("cot death support groups", rules) == 3
    assert concept_count("genetic cousin marriage", rules) == 2  # "cousin marriage" is one
    assert concept_count("damp housing support", rules) == 3
    assert QUERY_FIELDS == ["title^10", "summary^5", "taxonomy^2.5", "body^1"]


def test_partial_rule_applies_from_two_concepts():
    from search.policy import partial_matches

    rules = file_spelling_rules()
    assert not partial_matches(concept_count("cot death", rules))  # two words, one concept
    assert partial_matches(concept_count("cot death support", rules))
    assert not partial_matches(concept_count("cousin marriage", rules))
    assert partial_matches(concept_count("cousin marriage genetics", rules))
