"""Finding 4 (issue 24): "the cluster is down" is known once for every process on a server.

Each gunicorn worker is its own process with its own circuit breaker; before, each paid a
timeout before falling back. Here two breakers stand for two workers: each has its own memory
and its own SharedOutage on one folder, as two processes would.
"""

from __future__ import annotations

import pytest

from search.cluster_outage import SharedOutage
from search.engines.base import SearchRequest
from search.resilience import FALLBACK_WARNING, CircuitBreaker, ResilientEngine

from .test_fallback import embedded  # noqa: F401 - the fallback index fixture


class Clock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now


def worker(folder, url, clock):
    """One process's breaker: its own memory, the server's shared outage file."""
    return CircuitBreaker(clock=clock, shared=SharedOutage(folder, url, clock=clock))


def test_a_failure_in_one_worker_keeps_every_worker_off_the_cluster(
    tmp_path,
    unreachable_engine,
    unreachable_url,
    embedded,  # noqa: F811
    monkeypatch,
):
    clock = Clock()
    first = ResilientEngine(
        unreachable_engine, embedded, breaker=worker(tmp_path, unreachable_url, clock)
    )
    response = first.search(SearchRequest.build("housing"))
    assert response.engine == "embedded" and response.warnings == [FALLBACK_WARNING]

    second = ResilientEngine(
        unreachable_engine, embedded, breaker=worker(tmp_path, unreachable_url, clock)
    )

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("the second worker contacted a cluster known to be down")

    monkeypatch.setattr(unreachable_engine, "search", must_not_be_called)
    response = second.search(SearchRequest.build("housing"))
    assert response.engine == "embedded" and response.warnings == [FALLBACK_WARNING]
    assert unreachable_url in second.breaker.last_error
    assert second.health()["cluster"] == "failing, using fallback"


def test_once_the_interval_is_over_one_worker_probes_and_the_others_wait(tmp_path):
    clock = Clock()
    url = "http://search.internal:9200"
    workers = [worker(tmp_path, url, clock) for _ in range(3)]
    workers[0].failed(RuntimeError("timed out"))
    assert [w.allows_request() for w in workers] == [False, False, False]

    clock.now += 31  # the check interval is over
    assert [w.allows_request() for w in workers] == [True, False, False]
    workers[0].failed(RuntimeError("timed out again"))  # the probe paid the timeout, once
    assert [w.allows_request() for w in workers] == [False, False, False]

    clock.now += 31
    allowed = [w.allows_request() for w in workers]
    assert allowed.count(True) == 1
    workers[allowed.index(True)].succeeded()  # the cluster is back
    assert [w.allows_request() for w in workers] == [True, True, True]
    assert not (tmp_path / SharedOutage(tmp_path, url).path.name).exists()


def test_a_healthy_cluster_leaves_no_outage_file(tmp_path):
    breaker = worker(tmp_path, "http://search.internal:9200", Clock())
    assert breaker.allows_request()
    breaker.succeeded()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", ["", "{not json", '{"error": "x"}'])
def test_an_unreadable_outage_file_means_probe_now(tmp_path, content):
    clock = Clock()
    url = "http://search.internal:9200"
    SharedOutage(tmp_path, url).path.write_text(content)
    first, second = worker(tmp_path, url, clock), worker(tmp_path, url, clock)
    assert [first.allows_request(), second.allows_request()] == [True, False]
