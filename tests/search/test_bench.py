"""The benchmark's target check (`python -m bench`), without running a benchmark."""

from bench.__main__ import TARGET_P95_MS, target_lines


def result(size, p95):
    return {"size": size, "ours_faceted": {"p95_ms": p95}}


def test_each_size_with_a_target_says_met_or_missed():
    assert TARGET_P95_MS == {10_000: 30, 100_000: 150}
    assert target_lines([result(10_000, 31.25), result(100_000, 150), result(500, 999)]) == [
        "missed target: faceted p95 31.2 ms at 10,000 documents (target 30 ms)",
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
