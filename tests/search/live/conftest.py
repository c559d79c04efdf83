"""The live OpenSearch node for `tests/search/live/`: one per test session, on a free port.

`opensearch_url` is what most tests need; `opensearch_node` is the handle (`stopped()` takes it
down and brings it back with its data) for fault tests. Set KB_TEST_OPENSEARCH_URL to use a
node that is already running (e.g. from `make opensearch`) instead of starting one.

Without Java 21+ or the jars (`make opensearch-jars`) these tests are skipped with the reason;
under CI=true they fail instead, so CI never passes with the live suite silently skipped.
"""

from __future__ import annotations

import os

import pytest

from services.opensearch.node import OpenSearchNode, cluster_health, why_unavailable


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the live OpenSearch node cannot run: {reason}", pytrace=False)
    pytest.skip(f"live OpenSearch node unavailable: {reason}")


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory):
    external = os.environ.get("KB_TEST_OPENSEARCH_URL")
    if external:
        pytest.skip("KB_TEST_OPENSEARCH_URL is set: tests use that node, not one of their own")
    yield from started_node(tmp_path_factory.mktemp("opensearch"))


def started_node(directory):
    """A node of our own in `directory`, up until the generator is closed (a fixture's body)."""
    if reason := why_unavailable():
        unavailable(reason)
    node = OpenSearchNode(directory)
    try:
        node.start()
    except RuntimeError as error:
        node.stop()
        pytest.fail(str(error), pytrace=False)
    yield node
    node.stop()


@pytest.fixture(scope="session")
def opensearch_url(request):
    external = os.environ.get("KB_TEST_OPENSEARCH_URL")
    if external:
        external = external.rstrip("/")
        if not cluster_health(external):
            unavailable(f"KB_TEST_OPENSEARCH_URL={external} is not yellow or green")
        return external
    return request.getfixturevalue("opensearch_node").url
