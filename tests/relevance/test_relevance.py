"""Judged queries: the pages a practitioner expects must be in the top 3 of our search."""

import pytest

from search.engines import get_engine
from search.relevance import engine_urls, load_judgements

JUDGEMENTS = load_judgements()
# Known misses, kept visible rather than deleted from the judgements. strict: a fix flips them.
KNOWN_MISSES = {
    "young fathers": "the teenage-pregnancy evidence hub outranks the resource",
    "child death review": "Working Together ch. 7 and Saving Mothers Lives outrank both guides",
    "genetic services for cousin marriage": "all words must match; the case study lacks 'cousin'",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "judgement",
    [
        pytest.param(
            j,
            id=j.query,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[j.query])]
            if j.query in KNOWN_MISSES
            else [],
        )
        for j in JUDGEMENTS
    ],
)
def test_judged_pages_are_in_the_top_3(judgement):
    urls = engine_urls(get_engine(), judgement.query)
    missing = [url for url in judgement.expected if url not in urls[:3]]
    assert not missing, f"{judgement.query!r}: {missing} not in top 3 {urls[:5]}"


def test_judgements_cover_every_kind_the_issue_asks_for():
    kinds = " ".join(j.kind for j in JUDGEMENTS)
    for kind in ("synonym", "acronym", "typo", "place name", "concept"):
        assert kind in kinds
