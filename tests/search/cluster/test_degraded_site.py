"""The site, the API, the commands and the publishing hooks with Elasticsearch down.

KB_SEARCH_ENGINE=elasticsearch points at a real closed port; everything goes through
get_engine(), exactly as in production.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command, load_command_class

from search.documents import all_documents
from search.engines import SearchRequest, get_engine
from search.engines.embedded import EmbeddedEngine
from search.models import SearchOutboxEntry
from search.resilience import FALLBACK_WARNING, ResilientEngine


@pytest.fixture
def es_down(settings, unreachable_url):
    settings.KB_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = unreachable_url
    return unreachable_url


@pytest.fixture
def own_fallback_index(db, settings, tmp_path):
    """An embedded index of this test's own, for tests that write to it."""
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    engine = EmbeddedEngine(settings.KB_SEARCH_INDEX_PATH)
    engine.rebuild(all_documents())
    yield engine
    engine.close()


def test_configured_engine_is_the_resilient_one(es_down):
    engine = get_engine()
    assert isinstance(engine, ResilientEngine)
    assert engine.primary.url == es_down
    assert engine.primary.alias == "kb-test"


def test_search_page_still_answers_with_a_notice(client, db, es_down):
    response = client.get("/search/", {"q": "breastfeeding"})
    assert response.status_code == 200
    page = response.content.decode()
    assert FALLBACK_WARNING in page
    assert "kb-search-warnings" in page
    assert response.context["response"].total > 0


def test_api_still_answers_and_says_so(client, db, es_down):
    response = client.get("/api/search/", {"q": "breastfeeding"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] > 0
    assert data["engine"] == "embedded"
    assert FALLBACK_WARNING in data["warnings"]
    suggestions = client.get("/api/search/suggest/", {"q": "breastf"})
    assert suggestions.status_code == 200


def test_show_query_prints_the_body_without_sending_it(db, es_down, capsys):
    call_command(
        "kb_search", "cot death", "--theme", "housing", "--engine", "elasticsearch", "--show-query"
    )
    printed = json.loads(capsys.readouterr().out)
    request = SearchRequest.build("cot death", {"theme": ["housing"]})
    assert printed == get_engine("elasticsearch").explain(request)
    assert printed["post_filter"] == {
        "bool": {"filter": [{"terms": {"themes.value": ["housing"]}}]}
    }


def test_rebuild_with_the_cluster_down_fails_in_one_line(own_fallback_index, es_down, capsys):
    command = load_command_class("search", "search_index")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "search_index", "rebuild"])
    assert exited.value.code != 0
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1
    assert err.startswith("CommandError: search engine unavailable: Elasticsearch at " + es_down)
    assert "unreachable" in err


def test_publishing_while_down_updates_the_fallback_and_fills_the_outbox(
    own_fallback_index, es_down, django_capture_on_commit_callbacks
):
    from kb.models import CaseStudyPage

    page = CaseStudyPage.objects.live().order_by("pk").first()
    page.title = "Zebra crossings for prams"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    found = own_fallback_index.search(SearchRequest.build("zebra prams"))
    assert [hit.id for hit in found.hits] == [page.pk]
    entry = SearchOutboxEntry.objects.get(page_id=page.pk)
    assert entry.action == "index" and es_down in entry.last_error

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert own_fallback_index.search(SearchRequest.build("zebra prams")).total == 0
    assert SearchOutboxEntry.objects.get(page_id=page.pk).action == "delete"


def test_setup_still_succeeds_with_the_cluster_down(own_fallback_index, es_down, capsys):
    """`make setup` runs load_initial_data: it must leave a working (degraded) site."""
    call_command("load_initial_data", verbosity=0)
    err = capsys.readouterr().err
    assert err.startswith("Warning: search engine unavailable: Elasticsearch at " + es_down)
    assert own_fallback_index.search(SearchRequest.build("breastfeeding")).total > 0
