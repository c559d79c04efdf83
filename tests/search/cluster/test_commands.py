"""`search_index` with KB_SEARCH_ENGINE=elasticsearch, the client pointed at the fake cluster."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from search.engines.cluster import engine as cluster_engine
from search.engines.cluster.dialects import ElasticsearchDialect
from search.models import SearchOutboxEntry


@pytest.fixture
def es_on_fake_cluster(settings, cluster, tmp_path, monkeypatch, db):
    settings.KB_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    monkeypatch.setattr(
        cluster_engine,
        "configured_dialect",
        lambda server: ElasticsearchDialect(cluster.client(), "http://es.test:9200"),
    )
    return cluster


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def test_rebuild_then_check_prints_cluster_alias_counts_and_no_drift(es_on_fake_cluster):
    run("rebuild")
    (index,) = es_on_fake_cluster.alias_holders("kb-test")
    output = run("check")
    assert "cluster health: green" in output
    assert f"alias points to: {index}" in output
    assert "pending outbox updates: 0" in output
    assert re.search(r"^  fallback index: \d+ documents, current$", output, re.MULTILINE)
    assert output.strip().endswith("No drift.")


def test_check_exits_non_zero_on_drift(es_on_fake_cluster):
    run("rebuild")
    (index,) = es_on_fake_cluster.alias_holders("kb-test")
    es_on_fake_cluster.indices[index]["docs"].popitem()
    with pytest.raises(CommandError, match="drifted"):
        run("check")


def test_update_replays_the_outbox(es_on_fake_cluster):
    from kb.models import CaseStudyPage

    run("rebuild")
    (index,) = es_on_fake_cluster.alias_holders("kb-test")
    page = CaseStudyPage.objects.live().order_by("pk").first()
    es_on_fake_cluster.indices[index]["docs"].pop(str(page.pk))
    SearchOutboxEntry.objects.create(page_id=page.pk, action="index", last_error="timeout")

    output = run("update")
    assert "Replayed the outbox: 1 indexed, 0 removed." in output
    assert str(page.pk) in es_on_fake_cluster.indices[index]["docs"]
    assert not SearchOutboxEntry.objects.exists()
    assert "No drift." in run("check")


def test_update_reports_refused_pages_and_still_repairs_drift(es_on_fake_cluster):
    from kb.models import CaseStudyPage

    run("rebuild")
    (index,) = es_on_fake_cluster.alias_holders("kb-test")
    refused, drifted = CaseStudyPage.objects.live().order_by("pk")[:2]
    docs = es_on_fake_cluster.indices[index]["docs"]
    docs.pop(str(drifted.pk))  # missing from the index, not in the outbox: drift repair's job
    SearchOutboxEntry.objects.create(page_id=refused.pk, action="index", last_error="timeout")
    es_on_fake_cluster.reject_item(refused.pk)

    output = run("update")
    assert "Replayed the outbox: 0 indexed, 0 removed." in output
    assert "1 page(s) left in the outbox (1 refused by the cluster in this replay)." in output
    assert str(drifted.pk) in docs
    entry = SearchOutboxEntry.objects.get()
    assert entry.page_id == refused.pk and "document_parsing_exception" in entry.last_error


def test_a_start_during_an_outage_serves_from_the_fallback_then_repairs_the_cluster(
    es_on_fake_cluster, monkeypatch, capsys
):
    """Issue 24, finding 4: `ensure --or-fallback` (serve-production) succeeds with the cluster
    down, leaving a complete embedded index; `ensure --wait-for-cluster` (run beside gunicorn)
    asks again each interval and builds the cluster's index once it answers."""
    from search.management.commands import search_index

    cluster = es_on_fake_cluster
    cluster.fail("GET", r"/_cluster/health.*", 503, "cluster_unavailable", "no master")
    call_command("search_index", "ensure", "--or-fallback")
    assert "search engine unavailable" in capsys.readouterr().err
    assert cluster.alias_holders("kb-test") == []  # nothing built on the cluster yet

    waits = []
    monkeypatch.setattr(search_index.time, "sleep", waits.append)
    cluster.fail("GET", r"/_cluster/health.*", 503, "cluster_unavailable", "no master")
    call_command("search_index", "ensure", "--wait-for-cluster")
    assert waits == [30.0]  # one failed ask, one interval, then the cluster answered
    (index,) = cluster.alias_holders("kb-test")
    assert run("check").strip().endswith("No drift.")
