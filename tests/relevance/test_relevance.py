"""Judged queries: the pages a practitioner expects must be in the top 3 of our search."""

from pathlib import Path

import pytest
from wagtail.models import Page

from kb.contexts.visibility import public
from search.engines import get_engine
from search.relevance import (
    HELD_LEVELS,
    ISSUE_22_TARGETS,
    PRACTITIONER,
    JudgementsFileError,
    Outcome,
    asserted_judgements,
    by_batch,
    by_kind,
    engine_urls,
    load_judgements,
    shortfalls,
    summary,
)
from search.text import words

ALL_JUDGEMENTS = load_judgements()
# The batches the suite holds the engine to (search.relevance.ASSERTED_BATCHES).
JUDGEMENTS = asserted_judgements()


@pytest.mark.django_db
@pytest.mark.parametrize("judgement", [pytest.param(j, id=j.query) for j in JUDGEMENTS])
def test_judged_pages_are_in_the_top_3(judgement):
    urls = engine_urls(get_engine(), judgement.query)
    missing = [url for url in judgement.expected if url not in urls[:3]]
    assert not missing, f"{judgement.query!r}: {missing} not in top 3 {urls[:5]}"


def test_judgements_cover_every_kind_the_issue_asks_for():
    core = [j for j in ALL_JUDGEMENTS if j.batch == "core"]
    kinds = " ".join(j.kind for j in core)
    for kind in ("synonym", "acronym", "typo", "place name", "concept"):
        assert kind in kinds
    assert len(core) >= 80
    assert len({j.query.lower() for j in ALL_JUDGEMENTS}) == len(ALL_JUDGEMENTS)

    def count(kind):
        return sum(j.kind.startswith(kind) for j in JUDGEMENTS)

    assert count("deep fact") >= 20
    assert count("everyday wording") >= 15
    assert count("topic and place name") >= 10


def test_practitioner_judgements_are_the_kinds_issue_22_asks_for():
    practitioner = [j for j in ALL_JUDGEMENTS if j.batch == PRACTITIONER]
    groups = {
        kind: len(group) for kind, group in by_kind([Outcome(j, []) for j in practitioner]).items()
    }
    assert len(practitioner) >= 40
    assert groups.get("question", 0) >= 15
    assert groups.get("long", 0) >= 10
    assert groups.get("jargon", 0) >= 10
    assert set(groups) == {"question", "long", "jargon"}
    for judgement in practitioner:
        if judgement.kind_group == "long":
            assert len(words(judgement.query)) >= 15, judgement.query


HELD_OUT_FILE = Path(__file__).with_name("held_out.yaml")


@pytest.mark.django_db
def test_every_judged_page_is_a_live_page():
    """A judgement naming a page that does not exist could never be met: catch the typo here."""
    live = {page.url for page in public(Page).specific()}
    held_out = load_judgements(HELD_OUT_FILE)
    assert len(held_out) >= 135
    asked = {j.query.lower() for j in ALL_JUDGEMENTS}
    assert not [j.query for j in held_out if j.query.lower() in asked]
    for judgement in ALL_JUDGEMENTS + held_out:
        assert judgement.expected, judgement.query
        assert set(judgement.expected) <= live, (judgement.query, set(judgement.expected) - live)


def test_a_judgement_with_an_unknown_batch_or_field_is_refused_by_number(tmp_path):
    path = tmp_path / "judgements.yaml"
    path.write_text(
        "- {query: a, kind: b, expected: [/x/]}\n- {query: c, kind: d, expected: [/y/], batch: later}\n"
    )
    with pytest.raises(JudgementsFileError, match="judgement 2 .'c'.: batch 'later' is not one of"):
        load_judgements(path)
    path.write_text("- {query: a, kind: b, expected: [/x/], note: z}\n")
    with pytest.raises(JudgementsFileError, match="judgement 1: .*'note'"):
        load_judgements(path)
    path.write_text("query: a\n")
    with pytest.raises(JudgementsFileError, match="is not a list of judgements"):
        load_judgements(path)


def test_scores_by_kind_and_by_batch():
    def judged(query, kind, batch="core"):
        from search.relevance import Judgement

        return Judgement(query=query, kind=kind, expected=["/a/"], batch=batch)

    outcomes = [
        Outcome(judged("q1", "synonym (the content says x)"), ["/a/", "/b/"]),
        Outcome(judged("q2", "synonym"), ["/b/", "/c/", "/d/", "/a/"]),
        Outcome(judged("q3", "question", PRACTITIONER), ["/b/", "/a/"]),
    ]
    kinds = by_kind(outcomes)
    assert list(kinds) == ["synonym", "question"]
    assert summary(kinds["synonym"]) == (pytest.approx((1 + 1 / 4) / 2), 0.5)
    assert summary(kinds["question"]) == (0.5, 1.0)
    batches = by_batch(outcomes)
    assert [len(batches["core"]), len(batches[PRACTITIONER])] == [2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, url",
    [
        ("Every Child Matters", "/case-studies/newcastle-young-fathers-barnardos/"),
        ("opt out", "/evidence/reducing-maternal-smoking/"),
        ("not engaged in learning", "/case-studies/wandsworth-teenage-parent-supported-housing/"),
    ],
)
def test_named_phrases_of_stop_words_still_find_their_page(query, url):
    """ "not", "one", "every" and "out" carry no topic alone (search/stopwords.txt), but typed
    together as the content names something they still find it, by their phrase."""
    assert url in engine_urls(get_engine(), query)[:2]


@pytest.mark.django_db
def test_targets_on_the_judged_queries():
    from search.relevance import evaluate, summary

    mrr, success = summary(evaluate(JUDGEMENTS, lambda q: engine_urls(get_engine(), q)))
    assert mrr >= 0.90 and success >= 0.95, (mrr, success)


def test_shortfalls_name_each_group_below_its_level_and_each_empty_result():
    from search.relevance import Judgement

    outcomes = [
        Outcome(Judgement("q1", "question", ["/a/"], PRACTITIONER), ["/b/", "/a/"]),
        Outcome(Judgement("q2", "long", ["/a/"], PRACTITIONER), ["/a/"]),
        Outcome(Judgement("q3", "long", ["/a/"], PRACTITIONER), []),
    ]
    assert shortfalls(outcomes, {"question": (0.5, 1.0), "long": (0.5, 0.5)}) == ["no result: 'q3'"]
    assert shortfalls(outcomes, {"question": (0.6, 1.0), "all": (0.5, 0.7)}) == [
        "no result: 'q3'",
        "question: MRR 0.500 < 0.6",
        "all: success@3 67% < 70%",
    ]


@pytest.fixture(scope="module")
def every_outcome(django_db_setup, django_db_blocker):
    from search.relevance import evaluate

    with django_db_blocker.unblock():
        return evaluate(ALL_JUDGEMENTS, lambda q: engine_urls(get_engine(), q))


# Marked as database tests so pytest-django runs them before the browser tests (after those,
# Playwright's event loop makes the module fixture's ORM reads raise SynchronousOnlyOperation).
@pytest.mark.django_db
def test_best_match_holds_its_levels_by_kind_of_query(every_outcome):
    """What best match reaches (search.relevance.HELD_LEVELS), by batch and kind, and no judged
    query without a result: a rule that helps one kind of query and hurts another fails here."""
    assert shortfalls(every_outcome, HELD_LEVELS) == []


@pytest.mark.django_db
def test_issue_22_targets_for_questions_and_long_queries(every_outcome):
    """MRR 0.92 and success@3 95% over every judged query, and for questions and long queries
    separately, on the embedded engine (the default)."""
    assert shortfalls(every_outcome, ISSUE_22_TARGETS) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, url, row",
    [
        (
            "carbon monoxide monitoring",
            "/evidence/reducing-maternal-smoking/",
            "Routine <mark>carbon monoxide monitoring</mark> and opt out pathway",
        ),
        (
            "rickets",
            "/evidence/maternal-and-infant-nutrition/",
            "prevalence of <mark>rickets</mark>",
        ),
        ("ESOL classes", "/evidence/ethnicity/", "(<mark>ESOL</mark>) <mark>classes</mark>"),
    ],
)
def test_a_matched_recommendation_row_is_linked_and_shown(client, query, url, row):
    [first, *_] = client.get("/api/search/", {"q": query}).json()["results"]
    assert first["url"].startswith(url + "#recommendation-")
    assert row in first["snippet"]
    anchor = first["url"].split("#")[1]
    page = client.get(url).content.decode()
    assert f'id="{anchor}"' in page
    text = row.replace("<mark>", "").replace("</mark>", "")
    row_html = page.split(f'id="{anchor}"', 1)[1].split("</tr>", 1)[0]
    assert text in row_html


@pytest.mark.django_db
def test_a_long_query_missing_one_word_says_it_relaxed(client):
    response = client.get("/api/search/", {"q": "genetic services for cousin marriage"})
    body = response.json()
    assert "/case-studies/birmingham-enhanced-genetics-service/" in [
        result["url"] for result in body["results"][:3]
    ]
    # Some page matches every concept, so there is no notice.
    assert body["warnings"] == []


@pytest.mark.django_db
def test_a_query_no_page_fully_matches_says_so(client):
    from search.policy import best_match_notice

    body = client.get("/api/search/", {"q": "genetics zebra"}).json()
    urls = [result["url"] for result in body["results"]]
    assert "/case-studies/birmingham-enhanced-genetics-service/" in urls[:3]
    assert body["warnings"] == [best_match_notice(["genetics"])]
    page = client.get("/search/", {"q": "genetics zebra"})
    assert "No page matched every word you typed" in page.content.decode()


@pytest.mark.django_db
def test_a_question_is_answered_and_nothing_found_offers_themes(client):
    body = client.get(
        "/api/search/",
        {"q": "is there any evidence that a baby cafe helps mothers keep breastfeeding"},
    ).json()
    assert body["total"] > 0
    assert body["results"][0]["url"] == "/case-studies/calderdale-breastfeeding-baby-cafe/"
    page = client.get("/search/", {"q": "zzqxj vvkkw"}).content.decode()
    assert "Browse by theme" in page
    assert 'href="/search/?theme=' in page


def test_the_relevance_command_summarises_all_then_batches_then_kinds():
    from search.management.commands.search_relevance import summary_rows
    from search.relevance import Judgement

    judged = [
        Judgement(query="q1", kind="typo", expected=["/a/"]),
        Judgement(query="q2", kind="question", expected=["/a/"], batch=PRACTITIONER),
    ]
    columns = [
        ("embedded", [Outcome(judged[0], ["/a/"]), Outcome(judged[1], ["/b/"])]),
        ("wagtail", [Outcome(judged[0], []), Outcome(judged[1], ["/a/"])]),
    ]
    rows = [
        (label, [summary(group) for group in groups]) for label, groups in summary_rows(columns)
    ]
    assert rows == [
        ("all", [(0.5, 0.5), (0.5, 0.5)]),
        ("batch core", [(1.0, 1.0), (0.0, 0.0)]),
        ("batch practitioner", [(0.0, 0.0), (1.0, 1.0)]),
        ("kind question", [(0.0, 0.0), (1.0, 1.0)]),
        ("kind typo", [(1.0, 1.0), (0.0, 0.0)]),
    ]
