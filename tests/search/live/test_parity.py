"""The embedded engine and OpenSearch side by side on one corpus: for every facet combination
the contract tries, with and without text, the same total, the same pages and the same counts
for every facet value."""

from __future__ import annotations

import itertools

import pytest

from search.engines.embedded import EmbeddedEngine
from search.facets import FACETS
from search.synonyms import build_thesaurus
from tests.search.cluster.conftest import file_groups
from tests.search.contract import corpus, request

from .backends import dispose, live_engine

CHOICES = {
    "theme": ["reducing-maternal-smoking", "teenage-pregnancy", "breastfeeding"],
    "area": ["bolton", "dudley"],
    "type": ["case_study", "resource"],
}
QUERIES = ["", "smoking", "cot death"]  # no text, a plain word, a synonym phrase


def combinations():
    options = {
        name: [list(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)]
        for name, values in CHOICES.items()
    }
    for theme, area, type_ in itertools.product(*options.values()):
        yield {"theme": theme, "area": area, "type": type_}


@pytest.fixture(scope="module")
def engines(opensearch_url, tmp_path_factory):
    embedded = EmbeddedEngine(
        tmp_path_factory.mktemp("parity") / "index.sqlite3",
        thesaurus=build_thesaurus(file_groups()),
    )
    cluster = live_engine("opensearch", opensearch_url)
    for engine in (embedded, cluster):
        engine.rebuild(corpus())
    yield embedded, cluster
    embedded.close()
    dispose(cluster)


def counts(response):
    return {f.name: {v.value: v.count for v in response.facets[f.name]} for f in FACETS}


@pytest.mark.parametrize("query", QUERIES)
def test_same_totals_pages_and_facet_counts(engines, query):
    embedded, cluster = engines
    compared = 0
    for filters in combinations():
        ours, theirs = (engine.search(request(query, **filters)) for engine in engines)
        assert (theirs.total, counts(theirs)) == (ours.total, counts(ours)), filters
        assert {h.id for h in theirs.hits} == {h.id for h in ours.hits}, filters
        compared += 1
    assert compared == 128  # 8 theme subsets x 4 area subsets x 4 type subsets
