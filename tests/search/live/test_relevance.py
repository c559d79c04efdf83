"""The judged queries (tests/relevance/judgements.yaml) on OpenSearch: every judged page in the
top 3, as on the embedded engine (tests/relevance/test_relevance.py)."""

from __future__ import annotations

import pytest

from search.documents import all_documents
from search.engines import get_engine
from search.query.spelling import SpellingRules
from search.relevance import (
    HELD_LEVELS,
    asserted_judgements,
    engine_urls,
    evaluate,
    load_judgements,
    shortfalls,
    summary,
)
from search.synonyms import get_thesaurus

from .backends import dispose, live_engine

JUDGEMENTS = asserted_judgements()

# Marked as database tests so pytest-django runs them with the other database tests, before the
# browser tests: after those, Playwright's event loop is still running in this thread and the
# module fixture's ORM reads raise SynchronousOnlyOperation (31 errors in a full `make test`).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def site_on_opensearch(opensearch_url, django_db_setup, django_db_blocker):
    """The published pages of the test database, indexed with the glossary's synonyms too."""
    with django_db_blocker.unblock():
        documents = list(all_documents())
        rules = SpellingRules.from_thesaurus(get_thesaurus())
    engine = live_engine("opensearch", opensearch_url, spelling_rules=lambda: rules)
    assert engine.rebuild(documents) == len(documents) > 100
    yield engine
    dispose(engine)


# Judged queries (added with issue 13's wording rules) whose judged page OpenSearch ranks below
# its top 3, listed in docs/search.md; not yet investigated. Strict: if one starts passing, drop it from here.
BELOW_TOP_3_ON_OPENSEARCH = {
    # "mums who smoke" and "pregnant teens", listed here before, pass since synonym and boost
    # phrases weigh fields as BM25F does (cluster.query.phrase_fields).
    "SUDI Enfield": "the Enfield area page is below the top 3 on OpenSearch (top 3 embedded)",
}


def _param(judgement):
    reason = BELOW_TOP_3_ON_OPENSEARCH.get(judgement.query)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(judgement, id=judgement.query, marks=marks)


@pytest.mark.parametrize("judgement", [_param(j) for j in JUDGEMENTS])
def test_judged_pages_are_in_opensearchs_top_3(site_on_opensearch, judgement):
    urls = engine_urls(site_on_opensearch, judgement.query)
    missing = [url for url in judgement.expected if url not in urls[:3]]
    assert not missing, f"{judgement.query!r}: {missing} not in top 3 {urls[:5]}"


def test_opensearch_relevance_overall(site_on_opensearch):
    mrr, success = summary(evaluate(JUDGEMENTS, lambda q: engine_urls(site_on_opensearch, q)))
    # Issue 13's targets, as on the embedded engine.
    assert success >= 0.95
    assert mrr >= 0.90


def test_opensearch_holds_best_matchs_levels_and_stays_near_the_embedded_engine(
    site_on_opensearch,
):
    """Issue 22: both engines hold what best match reaches by kind of query, and OpenSearch is
    within 0.03 MRR of the embedded engine over every judged query."""
    judgements = load_judgements()
    on_opensearch = evaluate(judgements, lambda q: engine_urls(site_on_opensearch, q))
    assert shortfalls(on_opensearch, HELD_LEVELS) == []
    embedded = evaluate(judgements, lambda q: engine_urls(get_engine("embedded"), q))
    assert abs(summary(on_opensearch)[0] - summary(embedded)[0]) <= 0.03
