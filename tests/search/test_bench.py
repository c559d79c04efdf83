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
