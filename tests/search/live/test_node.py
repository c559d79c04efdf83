"""The live node itself: it starts, answers as OpenSearch 3.9.0 and has the analysis we rely on."""

import json
import urllib.request

from services.opensearch.node import cluster_health


def call(url, path, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def tokens(result):
    return [token["token"] for token in result["tokens"]]


def test_the_node_is_a_healthy_opensearch_3_9_on_loopback(opensearch_url):
    assert opensearch_url.startswith("http://127.0.0.1:")
    root = call(opensearch_url, "/")
    assert root["version"]["distribution"] == "opensearch"
    assert root["version"]["number"] == "3.9.0"
    health = cluster_health(opensearch_url)
    assert health["status"] in ("yellow", "green")
    assert health["number_of_nodes"] == 1


def test_common_analysis_is_loaded(opensearch_url):
    """snowball and synonym_graph come from the analysis-common module, not the server jar."""
    stemmed = call(
        opensearch_url,
        "/_analyze",
        {
            "tokenizer": "standard",
            "filter": ["lowercase", {"type": "snowball", "language": "English"}],
            "text": "Breastfeeding mothers",
        },
    )
    assert tokens(stemmed) == ["breastfeed", "mother"]
    synonyms = call(
        opensearch_url,
        "/_analyze",
        {
            "tokenizer": "standard",
            "filter": ["lowercase", {"type": "synonym_graph", "synonyms": ["cot death, sudi"]}],
            "text": "cot death",
        },
    )
    assert sorted(tokens(synonyms)) == ["cot", "death", "sudi"]


def test_an_index_takes_and_finds_a_document(opensearch_url):
    index = "kb-node-smoke"
    call(opensearch_url, f"/{index}", {"settings": {"number_of_replicas": 0}}, method="PUT")
    try:
        call(opensearch_url, f"/{index}/_doc/1?refresh=true", {"title": "Cot death"}, "PUT")
        found = call(opensearch_url, f"/{index}/_search", {"query": {"match": {"title": "cot"}}})
        assert found["hits"]["total"]["value"] == 1
    finally:
        call(opensearch_url, f"/{index}", method="DELETE")


def test_stopped_node_refuses_and_comes_back_with_its_data(opensearch_node):
    url = opensearch_node.url
    call(url, "/kb-node-restart", {"settings": {"number_of_replicas": 0}}, method="PUT")
    call(url, "/kb-node-restart/_doc/1?refresh=true", {"title": "kept"}, "PUT")
    pid = opensearch_node.pid
    with opensearch_node.stopped():
        assert cluster_health(url, timeout=1) is None
    assert opensearch_node.pid != pid
    assert call(url, "/kb-node-restart/_doc/1")["_source"] == {"title": "kept"}
    call(url, "/kb-node-restart", method="DELETE")
