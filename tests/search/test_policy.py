"""The shared search rules (search/policy.py) pinned: changing a rule must fail here, and the
contract (tests/search/contract.py, SharedRulesContract) checks every engine follows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search import policy
from search.engines.base import FacetValue
from search.facets import PAGE_SIZE


def test_ranking_rules():
    assert policy.FIELD_WEIGHTS == {"title": 10.0, "summary": 5.0, "taxonomy": 2.5, "body": 1.0}
    assert policy.TYPE_BOOST == {
        "case_study": 1.5,
        "evidence_summary": 1.4,
        "area": 1.6,
        "resource": 1.0,
        "news": 0.8,
    }
    assert policy.type_boost("glossary") == 1.0


def test_partial_match_rule():
    # All of one concept, all but one of two to four, 60% (rounded up) of longer queries.
    assert [policy.required_concepts(n) for n in range(8)] == [0, 1, 1, 2, 3, 3, 4, 5]
    assert policy.required_concepts(15) == 9
    assert policy.partial_matches(2) and not policy.partial_matches(1)
    assert policy.partial_matches(2, exact_total=0, total=3)
    assert not policy.partial_matches(2, exact_total=1, total=3)
    assert not policy.partial_matches(2, exact_total=0, total=0)


def test_too_few_at_the_threshold_lists_the_best_partial_matches():
    assert policy.FEW_MATCHES == PAGE_SIZE == 20  # a page of results
    assert policy.too_few_matches(0, 3) and policy.too_few_matches(19, 3)
    assert not policy.too_few_matches(20, 3)
    assert not policy.too_few_matches(0, 1)  # one concept: nothing to loosen


def test_pairs_of_meaningful_words_boost_queries_of_five_or_more():
    assert policy.PAIR_BOOSTS_FROM == 5


def test_common_concepts_are_those_on_most_pages():
    assert policy.is_common(31, 100) and not policy.is_common(30, 100)
    assert not policy.is_common(0, 0)


@pytest.mark.parametrize(
    "typed, word, expected",
    [
        ("soab", "soab", True),
        ("tep", "tep", False),  # shorter than MIN_CORRECTED_LENGTH
        ("NPEX", "npex", False),  # typed in capitals
        ("h1n1", "h1n1", False),  # digits
        ("sudi", "sudi", False),  # a thesaurus word, however it is typed
        ("Sudz", "sudz", True),
    ],
)
def test_which_words_may_be_corrected(typed, word, expected):
    assert policy.MIN_CORRECTED_LENGTH == 4
    assert policy.may_correct(typed, word, {"sudi"}) is expected


def test_edit_limits():
    assert [policy.edit_limit("x" * n) for n in (4, 5, 6, 12)] == [1, 1, 2, 2]
    assert policy.edit_distance("breastfeding", "breastfeeding", 2) == 1
    assert policy.edit_distance("abcd", "bacd", 2) == 1  # a transposition is one edit
    assert policy.correction_distance("cxradl", "cradle") == 2
    assert policy.correction_distance("xcradl", "cradle") is None  # two edits, first letter
    assert policy.correction_distance("nxapp", "nappy") is None  # five letters: one edit


def test_checksum_ignores_key_order_only():
    document = {"id": 1, "title": "A", "themes": [{"value": "x", "label": "X"}]}
    same = {"themes": [{"label": "X", "value": "x"}], "title": "A", "id": 1}
    assert policy.checksum(document) == policy.checksum(same)
    assert policy.checksum(document) != policy.checksum({**document, "title": "B"})
    assert policy.checksum(document) == "1c8afb67deda04f863ab4740f800d682a2aa472b"


def test_sort_keys():
    assert policy.title_key("The Zoo") == "zoo"
    assert policy.title_key("“Quoted” Étude") == "quoted etude"
    assert policy.sort_date({"date": "2010-05-01", "year": 2009}) == "2010-05-01"
    assert policy.sort_date({"year": 7}) == "0007"
    assert policy.sort_date({}) is None
    assert policy.sort_keys("relevance", has_text=False) == policy.SORT_KEYS["newest"]
    assert policy.SORT_KEYS == {
        "relevance": (("score", "desc"), ("id", "asc")),
        "newest": (("sort_date", "desc"), ("title_key", "asc"), ("id", "asc")),
        "title": (("title_key", "asc"), ("id", "asc")),
    }


def test_facet_value_order():
    values = [FacetValue("b", "beta", 2), FacetValue("a", "Alpha", 2), FacetValue("c", "c", 5)]
    assert [v.value for v in sorted(values, key=policy.facet_value_order)] == ["c", "a", "b"]


def test_notices():
    assert policy.unknown_value_notice("Theme", "x") == "Ignored unknown theme \u201cx\u201d."
    assert policy.PARTIAL_NOTICE.startswith("No page matched every word you typed")
    assert policy.best_match_notice(["cousin marriage", "genetics"]) == (
        "No page matched every word you typed. The best matches have "
        "\u201ccousin marriage\u201d and \u201cgenetics\u201d."
    )
    assert "built-in index" in policy.FALLBACK_NOTICE


SHARED_NAMES = re.compile(
    r"^(COLUMN_WEIGHTS|FIELD_WEIGHTS|FIELD_BOOSTS|TYPE_BOOST|PARTIAL_\w+|MIN_CORRECTED_LENGTH|"
    r"\w*NOTICE|FALLBACK_WARNING)\s*=(?!\s*policy\.)",
    re.MULTILINE,
)


def test_no_engine_restates_a_shared_rule():
    engines = Path(policy.__file__).parent / "engines"
    restated = {
        str(path.relative_to(engines)): SHARED_NAMES.findall(path.read_text())
        for path in engines.rglob("*.py")
        if SHARED_NAMES.search(path.read_text())
    }
    assert restated == {}
