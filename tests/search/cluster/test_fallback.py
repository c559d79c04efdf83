"""Faults: a real closed port (bound, then closed), so connections are refused for real.

The embedded engine answers while Elasticsearch is unreachable, failed writes land in the
outbox, and the first successful contact afterwards replays them.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from search import resilience as resilient_module
from search.documents import current_documents
from search.engines.base import SearchRequest
from search.engines.embedded import EmbeddedEngine
from search.models import SearchOutboxEntry
from search.resilience import (
    FALLBACK_WARNING,
    CircuitBreaker,
    ResilientEngine,
    record_failed_update,
)
from search.synonyms import build_thesaurus
from tests.search.contract import corpus

from .conftest import file_groups, make_engine, matched_text
from .fake_cluster import search_body
from .test_rebuild import NEW_INDEX
from .test_responses import facet_aggregations, hit


@pytest.fixture
def embedded(tmp_path):
    engine = EmbeddedEngine(tmp_path / "fallback.sqlite3", thesaurus=build_thesaurus(file_groups()))
    engine.rebuild(corpus())
    yield engine
    engine.close()


@pytest.fixture
def resilient(unreachable_engine, embedded):
    return ResilientEngine(unreachable_engine, embedded, breaker=CircuitBreaker())


def test_search_falls_back_to_the_embedded_engine_and_says_so(resilient, unreachable_url):
    response = resilient.search(SearchRequest.build("overcrowding"))
    assert [hit.id for hit in response.hits] == [110]
    assert response.engine == "embedded"
    assert response.warnings == [FALLBACK_WARNING]
    assert response.to_api()["warnings"] == [FALLBACK_WARNING]
    assert unreachable_url in resilient.breaker.last_error


def test_after_a_failure_the_cluster_is_left_alone_for_a_while(resilient, monkeypatch):
    resilient.search(SearchRequest.build("housing"))
    assert not resilient.breaker.allows_request()

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("contacted the cluster while the breaker was open")

    monkeypatch.setattr(resilient.primary, "search", must_not_be_called)
    response = resilient.search(SearchRequest.build("housing"))
    assert response.warnings == [FALLBACK_WARNING]


def test_suggestions_fall_back_quietly(resilient):
    assert "Breastfeeding peer support in Calderdale" in resilient.suggest("breastf")


def test_show_query_needs_no_cluster(resilient):
    body = resilient.explain(SearchRequest.build("housing"))
    assert matched_text(body) == "housing"


def test_failed_writes_go_to_the_outbox_and_the_fallback_stays_current(
    db, resilient, unreachable_url
):
    changed = corpus()[9] | {"title": "Damp homes and infant health"}
    resilient.index_documents([changed])
    resilient.delete([101])

    fallback = resilient.fallback.search(SearchRequest.build("damp"))
    assert [hit.id for hit in fallback.hits] == [110]
    gone = resilient.fallback.search(SearchRequest.build("safe sleep programme"))
    assert 101 not in [hit.id for hit in gone.hits]
    entries = {e.page_id: e for e in SearchOutboxEntry.objects.all()}
    assert set(entries) == {110, 101}
    assert (entries[110].action, entries[101].action) == ("index", "delete")
    assert unreachable_url in entries[110].last_error


def test_repeated_failures_keep_one_row_per_page(db, resilient):
    resilient.index_documents([corpus()[0]])
    resilient.breaker.open_until = 0  # let the next write try the cluster again
    resilient.index_documents([corpus()[0]])
    resilient.delete([101])
    (entry,) = SearchOutboxEntry.objects.all()
    assert (entry.page_id, entry.action, entry.attempts) == (101, "delete", 3)


def published_page_ids(count=2):
    from kb.models import CaseStudyPage

    return list(CaseStudyPage.objects.live().order_by("pk").values_list("pk", flat=True)[:count])


def test_first_successful_contact_replays_the_outbox(db, cluster, resilient, embedded):
    live_ids = published_page_ids()
    resilient.index_documents(current_documents(live_ids)[0])
    resilient.delete([987654])  # a page deleted while the cluster was down
    assert SearchOutboxEntry.objects.count() == 3

    # The cluster comes back (a rebuilt alias is there) and a search reaches it.
    cluster.add_index("kb-test-20250102030405678901", aliases=["kb-test"])
    cluster.search_responses.append(search_body([], aggregations=facet_aggregations()))
    recovered = ResilientEngine(make_engine(cluster.client()), embedded, breaker=resilient.breaker)
    resilient.breaker.open_until = 0

    response = recovered.search(SearchRequest.build("housing"))
    assert response.warnings == []
    assert SearchOutboxEntry.objects.count() == 0
    stored = cluster.indices["kb-test-20250102030405678901"]["docs"]
    assert sorted(int(i) for i in stored) == live_ids
    deletes = [r for r in cluster.sent("PUT", "/_bulk") if b'"delete"' in r.body]
    assert b'"987654"' in deletes[0].body


def test_replay_reads_the_page_as_it_is_now(db, cluster, embedded):
    from kb.models import CaseStudyPage

    page = CaseStudyPage.objects.live().order_by("pk").first()
    SearchOutboxEntry.objects.create(page_id=page.pk, action="index")
    page.unpublish()  # withdrawn after the failed update: the replay must delete, not index
    cluster.add_index("kb-test-20250102030405678901", aliases=["kb-test"], docs={str(page.pk): {}})

    engine = ResilientEngine(make_engine(cluster.client()), embedded, breaker=CircuitBreaker())
    result = engine.replay_outbox()
    assert (result.indexed, result.deleted, result.remaining) == (0, 1, 0)
    assert cluster.indices["kb-test-20250102030405678901"]["docs"] == {}


def test_replay_while_still_down_keeps_the_entries(db, resilient):
    SearchOutboxEntry.objects.create(page_id=published_page_ids(1)[0], action="index")
    result = resilient.replay_outbox()
    assert result.remaining == 1 and "is unreachable" in result.error
    assert SearchOutboxEntry.objects.get().attempts == 2


# --- one refused document -------------------------------------------------------------------


@pytest.fixture
def on_fake_cluster(cluster, embedded):
    """A resilient engine on the fake cluster, after a rebuild (so the alias exists)."""
    engine = ResilientEngine(make_engine(cluster.client()), embedded, breaker=CircuitBreaker())
    engine.primary.rebuild(corpus())
    return engine


def test_a_refused_document_is_kept_alone_and_the_cluster_stays_in_use(
    db, cluster, on_fake_cluster
):
    engine = on_fake_cluster
    cluster.reject_item(101)
    first, second = (corpus()[0] | {"title": "Refused"}), (corpus()[9] | {"title": "Damp homes"})
    engine.index_documents([first, second])

    docs = cluster.indices[NEW_INDEX]["docs"]
    assert docs["110"]["title"] == "Damp homes"
    assert docs["101"]["title"] != "Refused"
    assert engine.breaker.allows_request() and engine.breaker.last_error == ""
    (entry,) = SearchOutboxEntry.objects.all()
    assert (entry.page_id, entry.action, entry.attempts) == (101, "index", 1)
    assert entry.last_error.startswith("document_parsing_exception: [1:2] failed to parse")
    # Searches keep going to Elasticsearch.
    cluster.search_responses.append(search_body([], aggregations=facet_aggregations()))
    assert engine.search(SearchRequest.build("housing")).warnings == []


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(429, "es_rejected_execution_exception"), (503, "unavailable_shards_exception")],
)
def test_an_overloaded_or_failing_cluster_item_opens_the_breaker(
    db, cluster, on_fake_cluster, status, error_type
):
    engine = on_fake_cluster
    cluster.reject_item(101, status, error_type, "try again later")
    engine.index_documents([corpus()[0], corpus()[9]])
    assert not engine.breaker.allows_request()
    assert error_type in engine.breaker.last_error
    assert sorted(SearchOutboxEntry.objects.values_list("page_id", flat=True)) == [101, 110]


def test_replay_moves_a_refused_row_to_the_back_and_settles_the_rest(db, cluster, on_fake_cluster):
    engine = on_fake_cluster
    bad, *good = published_page_ids(3)
    for page_id in (bad, *good):  # the refused page is the oldest row, first in line
        SearchOutboxEntry.objects.create(page_id=page_id, action="index")
    cluster.reject_item(bad)
    read_before = SearchOutboxEntry.objects.get(page_id=bad).updated_at

    result = engine.replay_outbox(batch_size=1)

    assert (result.indexed, result.rejected, result.remaining, result.error) == (2, 1, 1, "")
    stored = cluster.indices[NEW_INDEX]["docs"]
    assert all(str(page_id) in stored for page_id in good) and str(bad) not in stored
    entry = SearchOutboxEntry.objects.get()
    assert (entry.page_id, entry.attempts) == (bad, 2)
    assert entry.updated_at > read_before  # moved to the back: later rows go first next time
    assert "document_parsing_exception" in entry.last_error
    assert engine.breaker.allows_request()


# --- replays inside requests ------------------------------------------------------------------


def test_a_search_replays_one_batch_and_leaves_the_rest_to_the_command(
    db, cluster, on_fake_cluster, monkeypatch
):
    monkeypatch.setattr(resilient_module, "REPLAY_BATCH_SIZE", 2)
    for page_id in published_page_ids(5):
        SearchOutboxEntry.objects.create(page_id=page_id, action="index")
    on_fake_cluster.breaker.last_error = "it was down"  # recovering: look at the outbox now
    cluster.search_responses.append(search_body([], aggregations=facet_aggregations()))

    on_fake_cluster.search(SearchRequest.build("housing"))
    assert SearchOutboxEntry.objects.count() == 3
    assert on_fake_cluster.replay_outbox().remaining == 0  # search_index update: everything


def test_a_failing_replay_never_spoils_a_good_answer(db, cluster, on_fake_cluster, monkeypatch):
    SearchOutboxEntry.objects.create(page_id=published_page_ids(1)[0], action="index")
    on_fake_cluster.breaker.last_error = "it was down"

    def broken(page_ids):
        raise RuntimeError("database went away mid-replay")

    monkeypatch.setattr("search.resilience.current_documents", broken)
    cluster.search_responses.append(
        search_body([hit(105, "Breastfeeding peer support")], aggregations=facet_aggregations())
    )
    response = on_fake_cluster.search(SearchRequest.build("breastfeeding"))
    assert response.engine == "elasticsearch" and response.warnings == []
    assert [h.id for h in response.hits] == [105]
    assert SearchOutboxEntry.objects.count() == 1


# --- replays racing live writes ---------------------------------------------------------------


def ticking_clock(start=datetime(2025, 6, 1, tzinfo=UTC)):
    """Each call one second later than the last, as real time moves between reads and writes."""
    ticks = itertools.count()
    return lambda: start + timedelta(seconds=next(ticks))


def test_a_replay_of_an_older_state_never_overwrites_a_newer_live_write(
    db, cluster, on_fake_cluster, monkeypatch
):
    from kb.models import CaseStudyPage

    engine = on_fake_cluster
    engine.primary._clock = ticking_clock()
    engine.breaker.next_replay_check = float("inf")  # the live write replays nothing itself
    page = CaseStudyPage.objects.live().order_by("pk").first()
    SearchOutboxEntry.objects.create(page_id=page.pk, action="index")
    read = current_documents

    def an_editor_publishes_while_the_replay_is_in_flight(page_ids):
        old_state = read(page_ids)  # the replay has read the page as it was
        page.title = "Newer title, published meanwhile"
        page.save()
        engine.index_documents(read([page.pk])[0])  # the publish's own live write lands first
        return old_state

    monkeypatch.setattr(
        "search.resilience.current_documents", an_editor_publishes_while_the_replay_is_in_flight
    )
    result = engine.replay_outbox()

    stored = cluster.indices[NEW_INDEX]["docs"][str(page.pk)]
    assert stored["title"] == "Newer title, published meanwhile"
    assert (result.indexed, result.rejected, result.remaining, result.error) == (1, 0, 0, "")
    live, replay = cluster.sent("PUT", "/_bulk")[-2:]
    assert b"Newer title" in live.body and b"Newer title" not in replay.body  # refused: 409


def test_replay_keeps_a_row_that_failed_again_while_it_was_being_replayed(
    db, cluster, on_fake_cluster, monkeypatch
):
    engine = on_fake_cluster
    page_id = published_page_ids(1)[0]
    SearchOutboxEntry.objects.create(page_id=page_id, action="index")
    send = engine.primary.write

    def meanwhile_a_live_write_fails(documents, gone, version=None):
        record_failed_update([page_id], "delete", "timed out")  # newer than what was read
        return send(documents, gone, version=version)

    monkeypatch.setattr(engine.primary, "write", meanwhile_a_live_write_fails)
    engine.replay_outbox()
    entry = SearchOutboxEntry.objects.get()  # still there: it needs another replay
    assert (entry.action, entry.last_error, entry.attempts) == ("delete", "timed out", 2)


def test_a_failing_fallback_index_does_not_keep_the_update_from_elasticsearch(
    db, cluster, on_fake_cluster, monkeypatch, caplog
):
    engine = on_fake_cluster

    def disk_full(*args):
        raise OSError("database or disk is full")

    monkeypatch.setattr(engine.fallback, "index_documents", disk_full)
    monkeypatch.setattr(engine.fallback, "delete", disk_full)
    engine.index_documents([corpus()[9] | {"title": "Damp homes"}])
    engine.delete([101])

    docs = cluster.indices[NEW_INDEX]["docs"]
    assert docs["110"]["title"] == "Damp homes" and "101" not in docs
    assert not SearchOutboxEntry.objects.exists()
    assert caplog.text.count("fallback index") == 2 and "disk is full" in caplog.text


def test_a_failing_fallback_index_with_the_cluster_down_still_fills_the_outbox(
    db, resilient, monkeypatch
):
    def disk_full(*args):
        raise OSError("database or disk is full")

    monkeypatch.setattr(resilient.fallback, "index_documents", disk_full)
    resilient.index_documents([corpus()[0]])
    assert list(SearchOutboxEntry.objects.values_list("page_id", flat=True)) == [101]


# --- rebuild catch-up -------------------------------------------------------------------------


def test_rebuild_catches_up_with_edits_made_while_it_loaded_and_replays_once(
    db, cluster, embedded, monkeypatch
):
    from search.documents import all_documents
    from search.policy import checksum

    seconds = itertools.count(step=60)  # a slow load: the replay check interval passes
    engine = ResilientEngine(
        make_engine(cluster.client()),
        embedded,
        breaker=CircuitBreaker(clock=lambda: float(next(seconds))),
    )
    now = list(all_documents())
    SearchOutboxEntry.objects.create(page_id=now[0]["id"], action="index")
    # The snapshot the load read: since then one page was edited, one published, one removed.
    snapshot = [now[1] | {"title": "Edited while loading"}, *now[3:], corpus()[0] | {"id": 987654}]
    replays = []
    replay = engine.replay_outbox
    monkeypatch.setattr(
        engine, "replay_outbox", lambda *a, **k: replays.append(1) or replay(*a, **k)
    )

    engine.rebuild(snapshot)

    stored = cluster.indices[NEW_INDEX]["docs"]
    assert {int(i): s["checksum"] for i, s in stored.items()} == {d["id"]: checksum(d) for d in now}
    assert len(replays) == 1
    assert not SearchOutboxEntry.objects.exists()
