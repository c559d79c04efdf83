"""Zero-downtime rebuild, live updates and drift checks, through the fake cluster.

The fake keeps indices, aliases and documents, so these tests follow what a cluster would hold
after each call; analysis and scoring are not modelled (see fake_cluster.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from search.engines.cluster import DocumentsRejected
from search.engines.cluster.dialects import REBUILD_TIMEOUT_SECONDS, ClusterError
from search.engines.cluster.mapping import to_source
from tests.search.contract import corpus

from .conftest import FAKE_URL, make_engine

NEW_INDEX = "kb-test-20250102030405678901"
OLD_INDEX = "kb-test-20240101000000000000"


def test_first_rebuild_creates_a_versioned_index_and_the_alias(cluster, es_engine):
    documents = corpus()
    assert es_engine.rebuild(documents) == len(documents)

    assert cluster.alias_holders("kb-test") == [NEW_INDEX]
    created = cluster.indices[NEW_INDEX]["body"]
    # Synonyms are expanded in queries from the thesaurus, never baked into the index.
    assert "kb_synonyms" not in created["settings"]["analysis"].get("filter", {})
    assert created["mappings"]["properties"]["facet_keys"]["properties"]["theme"] == {
        "type": "keyword"
    }
    stored = cluster.indices[NEW_INDEX]["docs"]
    assert stored["105"] == to_source(documents[4])
    assert stored["105"]["facet_keys"]["theme"] == ["breastfeeding\u001fBreastfeeding"]
    (swap,) = cluster.sent("POST", "/_aliases")
    assert swap.body == {"actions": [{"add": {"index": NEW_INDEX, "alias": "kb-test"}}]}
    assert swap.timeout == REBUILD_TIMEOUT_SECONDS


def test_rebuild_swaps_the_alias_in_one_call_and_deletes_old_indices(cluster, es_engine):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"], docs={"1": {"id": 1}})
    cluster.add_index("kb-test-20230101000000000000")  # an older, already detached build
    cluster.add_index("kb-test-archive")  # not a versioned name: someone else's, left alone
    cluster.add_index("kb-testing-20240101000000000000")  # another prefix entirely

    es_engine.rebuild(corpus())

    (swap,) = cluster.sent("POST", "/_aliases")
    assert swap.body == {
        "actions": [
            {"remove": {"index": OLD_INDEX, "alias": "kb-test"}},
            {"add": {"index": NEW_INDEX, "alias": "kb-test"}},
        ]
    }
    assert sorted(cluster.indices) == [
        NEW_INDEX,
        "kb-test-archive",
        "kb-testing-20240101000000000000",
    ]
    # Searches kept reading the old index until the single swap.
    bulk_before_swap = cluster.requests.index(cluster.sent("PUT", "/_bulk")[0])
    assert bulk_before_swap < cluster.requests.index(swap)


def test_rebuild_replaces_an_index_squatting_on_the_alias_name(cluster, es_engine):
    cluster.add_index("kb-test", docs={"1": {"id": 1}})
    es_engine.rebuild(corpus())
    (swap,) = cluster.sent("POST", "/_aliases")
    assert swap.body["actions"] == [
        {"remove_index": {"index": "kb-test"}},
        {"add": {"index": NEW_INDEX, "alias": "kb-test"}},
    ]
    assert cluster.alias_holders("kb-test") == [NEW_INDEX]


def test_failed_load_leaves_the_alias_alone_and_removes_the_half_built_index(cluster, es_engine):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    cluster.fail("PUT", "/_bulk", 500, "es_rejected_execution_exception", "queue full")
    with pytest.raises(ClusterError, match="HTTP 500.*es_rejected_execution_exception"):
        es_engine.rebuild(corpus())
    assert cluster.alias_holders("kb-test") == [OLD_INDEX]
    assert NEW_INDEX not in cluster.indices
    assert cluster.sent("POST", "/_aliases") == []


def test_index_names_carry_the_prefix_and_a_sortable_timestamp(cluster):
    engine = make_engine(
        cluster.client(),
        prefix="kb-production",
        clock=lambda: datetime(2031, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    )
    assert engine.new_index_name() == "kb-production-20311231235959000001"
    assert engine.is_versioned_index("kb-production-20311231235959000001")
    assert not engine.is_versioned_index("kb-production-old")
    assert not engine.is_versioned_index("kb-production-eu-20311231235959000001")


def test_live_updates_write_through_the_alias(cluster, es_engine):
    es_engine.rebuild(corpus())
    changed = corpus()[9] | {"title": "Damp homes and infant health"}
    es_engine.index_documents([changed])
    es_engine.delete([101, 999999])  # an unknown id is not an error
    docs = cluster.indices[NEW_INDEX]["docs"]
    assert docs["110"]["title"] == "Damp homes and infant health"
    assert "101" not in docs
    for sent in cluster.sent("PUT", "/_bulk")[1:]:
        assert sent.params["require_alias"] == ["true"]
        assert sent.params["refresh"] == ["wait_for"]


def test_live_update_before_any_rebuild_is_refused_not_auto_created(cluster, es_engine):
    with pytest.raises(ClusterError, match="rejected 1 document.*is not an alias"):
        es_engine.index_documents([corpus()[0]])
    assert cluster.indices == {}


def test_check_reports_drift_and_cluster_state(cluster, es_engine):
    es_engine.rebuild(corpus())
    documents = corpus()
    documents[0]["title"] = "Changed since indexing"
    removed = documents.pop(1)
    documents.append(corpus()[0] | {"id": 160})

    report = es_engine.check(documents)
    assert (report.missing, report.stale, report.orphaned) == ([160], [101], [removed["id"]])
    (scan,) = [r for r in cluster.sent("POST", "/kb-test/_search") if "scroll" in r.params]
    assert scan.body["_source"] == ["checksum"]  # the checksum only, not whole documents
    assert report.details == {
        "server": "Elasticsearch",
        "url": FAKE_URL,
        "cluster": "fake-cluster",
        "cluster health": "green",
        "nodes": 3,
        "alias": "kb-test",
        "alias points to": NEW_INDEX,
        "documents in alias": len(corpus()),
    }


def test_check_before_the_first_rebuild(cluster, es_engine):
    report = es_engine.check(corpus())
    assert report.indexed == 0 and len(report.missing) == len(corpus())
    assert report.details["alias points to"].startswith("nothing")


def test_deleting_through_a_missing_alias_is_an_error_not_a_missing_document(cluster, es_engine):
    with pytest.raises(ClusterError, match="index_not_found_exception"):
        es_engine.delete([101])


def test_a_refused_item_is_reported_with_its_page_and_the_rest_is_written(cluster, es_engine):
    es_engine.rebuild(corpus())
    cluster.reject_item(110)
    with pytest.raises(DocumentsRejected, match=r"rejected 1 document.*page ids 110\)") as raised:
        es_engine.index_documents([corpus()[0] | {"title": "Taken"}, corpus()[9]])
    assert list(raised.value.rejected) == [110]
    assert cluster.indices[NEW_INDEX]["docs"]["101"]["title"] == "Taken"


# --- the alias swap and the clean-up after it ---------------------------------------------------

NEWER_INDEX = "kb-test-20260101000000000000"


def test_a_swap_that_times_out_after_being_applied_counts_as_done(cluster, es_engine, caplog):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    cluster.time_out_after("POST", "/_aliases")
    assert es_engine.rebuild(corpus()) == len(corpus())
    assert cluster.alias_holders("kb-test") == [NEW_INDEX]
    assert len(cluster.indices[NEW_INDEX]["docs"]) == len(corpus())
    assert OLD_INDEX not in cluster.indices
    assert "was moved to" in caplog.text and "timed out" in caplog.text


def test_a_swap_that_fails_deletes_only_the_new_index(cluster, es_engine):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"], docs={"1": {"id": 1}})
    cluster.fail("POST", "/_aliases", 500, "process_cluster_event_timeout_exception", "slow")
    with pytest.raises(ClusterError, match="HTTP 500 while moving alias kb-test"):
        es_engine.rebuild(corpus())
    assert cluster.alias_holders("kb-test") == [OLD_INDEX]
    assert sorted(cluster.indices) == [OLD_INDEX]


def test_a_swap_that_times_out_with_the_cluster_gone_deletes_nothing(
    cluster, es_engine, monkeypatch
):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    planned = es_engine._swap_actions

    def then_the_cluster_stops_answering(new_index):
        actions = planned(new_index)
        cluster.time_out_after("POST", "/_aliases")
        cluster.fail("GET", "/_alias/kb-test", 503, "master_not_discovered_exception", "gone")
        return actions

    monkeypatch.setattr(es_engine, "_swap_actions", then_the_cluster_stops_answering)
    with pytest.raises(ClusterError, match="unreachable while moving alias"):
        es_engine.rebuild(corpus())
    # The swap did happen: the live index must survive, whatever the engine could not tell.
    assert cluster.alias_holders("kb-test") == [NEW_INDEX]
    assert cluster.sent("DELETE", f"/{NEW_INDEX}") == []


def test_a_concurrent_rebuild_that_moved_the_alias_first_wins(cluster, es_engine, monkeypatch):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    planned = es_engine._swap_actions

    def another_rebuild_swaps_in_between(new_index):
        actions = planned(new_index)
        cluster.add_index(NEWER_INDEX)
        cluster.indices[OLD_INDEX]["aliases"].discard("kb-test")
        cluster.indices[NEWER_INDEX]["aliases"].add("kb-test")
        return actions

    monkeypatch.setattr(es_engine, "_swap_actions", another_rebuild_swaps_in_between)
    with pytest.raises(ClusterError, match="HTTP 404.*aliases_not_found_exception"):
        es_engine.rebuild(corpus())
    assert cluster.alias_holders("kb-test") == [NEWER_INDEX]
    assert NEW_INDEX not in cluster.indices and NEWER_INDEX in cluster.indices


def test_old_index_clean_up_failing_does_not_fail_the_rebuild(cluster, es_engine, caplog):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    cluster.fail("DELETE", f"/{OLD_INDEX}", 500, "illegal_state_exception", "snapshot running")
    assert es_engine.rebuild(corpus()) == len(corpus())
    assert cluster.alias_holders("kb-test") == [NEW_INDEX]
    assert OLD_INDEX in cluster.indices  # left for the next rebuild
    assert "older indices were not removed" in caplog.text and "snapshot running" in caplog.text


def test_clean_up_leaves_newer_indices_and_alias_holders_alone(cluster, es_engine):
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    cluster.add_index(NEWER_INDEX)  # a rebuild running at the same time, not swapped yet
    es_engine.rebuild(corpus())
    assert sorted(cluster.indices) == [NEW_INDEX, NEWER_INDEX]


def test_a_document_stored_without_a_checksum_counts_as_stale(cluster, es_engine):
    es_engine.rebuild(corpus())
    del cluster.indices[NEW_INDEX]["docs"]["105"]["checksum"]  # written before the field existed
    assert es_engine.check(corpus()).stale == [105]


def test_indices_are_deleted_by_name_never_by_wildcard(cluster, es_engine):
    """Elasticsearch 8 refuses `DELETE kb-test-*` (the fake does too); teardown lists, then
    deletes each index by its name."""
    cluster.add_index(OLD_INDEX, aliases=["kb-test"])
    cluster.add_index("kb-test-notes")  # not a versioned index of ours: left alone
    es_engine.rebuild(corpus())
    assert es_engine.drop() == [NEW_INDEX]
    assert sorted(cluster.indices) == ["kb-test-notes"]
    deletes = [r.path for r in cluster.requests if r.method == "DELETE"]
    assert deletes and not any("*" in path for path in deletes)
    with pytest.raises(ValueError, match="name indices one by one"):
        es_engine.dialect.delete_indices(["kb-test-*"])


def test_the_fake_refuses_a_wildcard_delete_as_elasticsearch_8_does(cluster, es_engine):
    client = cluster.client()
    with pytest.raises(Exception, match="Wildcard expressions"):
        client.indices.delete(index="kb-test-*")
