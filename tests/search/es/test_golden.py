"""Golden request bodies and the golden index definition.

A change to what is sent to Elasticsearch must show up as a reviewed diff of these files.
Regenerate after an intended change with: KB_UPDATE_GOLDEN=1 pytest tests/search/es
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search.engines.base import SearchRequest
from search.engines.es_schema import index_body

from .conftest import file_spelling_rules, make_engine

GOLDEN = Path(__file__).parent / "golden"
FIXED_RULES = [
    "cot death, SUDI, sudden unexpected death in infancy",
    "FNP, Family Nurse Partnership",
    "DfE, Department for Children\\, Schools and Families",
]


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
    assert_golden("index", index_body(FIXED_RULES))


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

    mapped = set(index_body([])["mappings"]["properties"])
    assert set(corpus()[0]) <= mapped


def test_synonym_rules_come_from_the_file_and_the_glossary(db):
    from search.engines.es_synonyms import elasticsearch_synonym_rules

    rules = elasticsearch_synonym_rules()
    assert "dad, father" in rules  # search/synonyms.txt
    assert "FNP, Family Nurse Partnership" in rules  # the glossary, from the database
    assert "DfE, Department for Children\\, Schools and Families" in rules  # comma escaped


def test_ranking_mirrors_the_embedded_engine():
    from search.engines.embedded import TYPE_BOOST

    query = make_engine(client=None).explain(SearchRequest.build("young fathers"))["query"]
    ranking = query["function_score"]
    assert {f["filter"]["term"]["type.value"]: f["weight"] for f in ranking["functions"]} == (
        TYPE_BOOST
    )
    assert ranking["boost_mode"] == "multiply"
    phrase = ranking["query"]["bool"]["should"][0]["multi_match"]
    assert (phrase["type"], phrase["query"]) == ("phrase", "young fathers")
    single = make_engine(client=None).explain(SearchRequest.build("fathers"))["query"]
    assert "combined_fields" in single["function_score"]["query"]  # no phrase for one word


def test_partial_matches_list_full_matches_first():
    from search.engines.es_query import EXACT_FIRST_BOOST, EXACT_QUERY_NAME

    engine = make_engine(client=None)
    request = SearchRequest.build("genetic services for cousin marriage")
    body = engine._search_for(request, relaxed=True).to_dict()
    relaxed = body["query"]["bool"]["must"][0]["function_score"]["query"]
    fields = relaxed["bool"]["must"][0]["combined_fields"]
    assert (fields["operator"], fields["minimum_should_match"]) == ("or", "-1")
    title_phrase = {"match_phrase": {"title": {"query": "genetic services for cousin marriage"}}}
    assert title_phrase in relaxed["bool"]["should"]
    [exact] = body["query"]["bool"]["should"]
    exact = exact["constant_score"]
    assert (exact["boost"], exact["_name"]) == (EXACT_FIRST_BOOST, EXACT_QUERY_NAME)
    assert exact["filter"]["combined_fields"]["operator"] == "and"
    # The notice needs how many pages match every concept: one filter aggregation.
    counted = body["aggs"][EXACT_QUERY_NAME]["filter"]["bool"]["filter"]
    assert counted[0]["combined_fields"]["operator"] == "and"
    # Sorted by date, full matches still come first (score 1 against 0), then by date.
    newest = engine._search_for(SearchRequest.build("cousin genetics", sort="newest"), relaxed=True)
    newest = newest.to_dict()
    assert newest["sort"][0] == {"_score": {"order": "desc"}}
    assert newest["query"]["bool"]["should"][0]["constant_score"]["boost"] == 1.0


def test_a_single_concept_is_never_partial():
    strict = make_engine(client=None)._search_for(SearchRequest.build("cot death")).to_dict()
    assert "function_score" in strict["query"]
    assert "exact" not in strict["aggs"]


def test_partial_rule_counts_concepts_like_the_embedded_engine():
    from search.engines.embedded import COLUMN_WEIGHTS
    from search.engines.es_query import FIELD_BOOSTS, may_relax

    rules = file_spelling_rules()
    assert not may_relax("cot death", rules)  # two words, one concept
    assert may_relax("cot death support", rules)  # three words, two concepts
    assert not may_relax("cousin marriage", rules)  # a synonym phrase is one concept
    assert may_relax("cousin marriage genetics", rules)
    assert not may_relax("teenage", rules)
    assert FIELD_BOOSTS is COLUMN_WEIGHTS
