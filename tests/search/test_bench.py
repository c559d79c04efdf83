"""The benchmark's target check (`python -m bench`), without running a benchmark."""

from bench.__main__ import TARGET_P95_MS, target_lines


def result(size, p95, plain=None, opensearch=None):
    measured = {"size": size, "ours_faceted": {"p95_ms": p95}}
    if plain is not None:
        measured["ours"] = {"p95_ms": plain}
    if opensearch is not None:
        measured["opensearch"] = {"p95_ms": opensearch[0]}
        measured["opensearch_faceted"] = {"p95_ms": opensearch[1]}
    return measured


def test_each_target_says_met_or_missed():
    assert TARGET_P95_MS == {
        10_000: {"ours": 15, "ours_faceted": 15},
        100_000: {"ours_faceted": 150},
    }
    assert target_lines(
        [
            result(10_000, 15.25, plain=14.0, opensearch=(52.4, 15.0)),
            result(100_000, 150),
            result(500, 999),
        ]
    ) == [
        "met target: plain p95 14.0 ms at 10,000 documents (target 15 ms)",
        "met target: plain p95 14.0 ms at 10,000 documents, OpenSearch 52.4 ms (target: faster)",
        "missed target: faceted p95 15.2 ms at 10,000 documents (target 15 ms)",
        "missed target: faceted p95 15.2 ms at 10,000 documents, OpenSearch 15.0 ms "
        "(target: faster)",
        "met target: faceted p95 150.0 ms at 100,000 documents (target 150 ms)",
    ]


def test_the_table_puts_opensearch_beside_embedded_and_says_n_a_when_it_was_skipped():
    from bench.__main__ import table

    measured = {
        "size": 10_000,
        "opensearch": {"p50_ms": 4.0, "p95_ms": 9.5},
        "opensearch_faceted": {"p50_ms": 5.0, "p95_ms": 11.25},
        "opensearch_rebuild_docs_per_s": 3210.4,
    }
    skipped = {"size": 100_000, "opensearch_skipped": "no Java"}
    lines = table([measured, skipped]).splitlines()
    assert "| OpenSearch search p95 / ms | 9.5 | n/a |" in lines
    assert "| OpenSearch + 3 facet filters p95 / ms | 11.2 | n/a |" in lines
    assert "| OpenSearch rebuild / docs per s | 3,210 | n/a |" in lines
