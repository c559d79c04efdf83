"""`python -m bench [--sizes 10000,100000]`: run each corpus size in its own process and print
the table (see docs/search.md)."""

import argparse
import json
import subprocess
import sys

# The p95 each search must stay within, by size (docs/search.md, "Targets"): plain and faceted
# at 10,000 documents from issue 22, faceted at 100,000 from issue 9. Both must also beat
# OpenSearch in the same run, when it ran.
TARGET_P95_MS = {
    10_000: {"ours": 15, "ours_faceted": 15},
    100_000: {"ours_faceted": 150},
}
SEARCHES = {"ours": ("plain", "opensearch"), "ours_faceted": ("faceted", "opensearch_faceted")}


def row(label, *cells):
    return f"| {label} | " + " | ".join(cells) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--skip-opensearch",
        action="store_true",
        help="Leave out the OpenSearch engine (it starts its own node per size).",
    )
    parser.add_argument(
        "--wagtail-max-size",
        type=int,
        default=10_000,
        help="Skip Wagtail's database search above this size (at 100k it takes hours).",
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    results = []
    for size in sizes:
        print(f"benchmarking {size:,} documents ...", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", "bench.run", "--size", str(size)]
        if size > options.wagtail_max_size:
            command.append("--skip-wagtail")
        if options.skip_opensearch:
            command.append("--skip-opensearch")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print(table(results))
    for r in results:
        if r.get("opensearch_skipped"):
            print(f"OpenSearch not benchmarked at {r['size']:,}: {r['opensearch_skipped']}")
    for line in target_lines(results):
        print(line)


def target_lines(results):
    """One line per target: met, or a "missed target" line to act on."""
    lines = []
    for r in results:
        for key, target in TARGET_P95_MS.get(r["size"], {}).items():
            label, theirs = SEARCHES[key]
            p95 = r[key]["p95_ms"]
            verdict = "met target" if p95 <= target else "missed target"
            lines.append(
                f"{verdict}: {label} p95 {p95:,.1f} ms at {r['size']:,} documents "
                f"(target {target} ms)"
            )
            if theirs in r:
                other = r[theirs]["p95_ms"]
                verdict = "met target" if p95 < other else "missed target"
                lines.append(
                    f"{verdict}: {label} p95 {p95:,.1f} ms at {r['size']:,} documents, "
                    f"OpenSearch {other:,.1f} ms (target: faster)"
                )
    return lines


def fmt(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(results):
    lines = [
        row("measure", *(f"{r['size']:,} docs" for r in results)),
        row("---", *("---" for _ in results)),
    ]

    def add(label, getter, digits=1):
        cells = []
        for r in results:
            try:
                cells.append(fmt(getter(r), digits))
            except KeyError:
                cells.append("n/a")
        lines.append(row(label, *cells))

    add("embedded search p50 / ms", lambda r: r["ours"]["p50_ms"])
    add("embedded search p95 / ms", lambda r: r["ours"]["p95_ms"])
    add("embedded + 3 facet filters p50 / ms", lambda r: r["ours_faceted"]["p50_ms"])
    add("embedded + 3 facet filters p95 / ms", lambda r: r["ours_faceted"]["p95_ms"])
    add("embedded search, cold caches p50 / ms", lambda r: r["ours_cold"]["p50_ms"])
    add("embedded search, cold caches p95 / ms", lambda r: r["ours_cold"]["p95_ms"])
    add("bare FTS5 floor p50 / ms", lambda r: r["floor"]["p50_ms"])
    add("bare FTS5 floor p95 / ms", lambda r: r["floor"]["p95_ms"])
    add("faceted p95 / floor p95", lambda r: r["ours_faceted"]["p95_ms"] / r["floor"]["p95_ms"], 2)
    add("Wagtail DB search + ORM facet counts p50 / ms", lambda r: r["wagtail"]["p50_ms"])
    add("Wagtail DB search + ORM facet counts p95 / ms", lambda r: r["wagtail"]["p95_ms"])
    add("Wagtail + ORM facets, 3 filters p50 / ms", lambda r: r["wagtail_faceted"]["p50_ms"])
    add("Wagtail + ORM facets, 3 filters p95 / ms", lambda r: r["wagtail_faceted"]["p95_ms"])
    add("embedded rebuild / s", lambda r: r["rebuild_s"], 2)
    add("embedded rebuild / docs per s", lambda r: r["rebuild_docs_per_s"], 0)
    add("documents from pages (Django side) / s", lambda r: r["documents_from_pages_s"], 2)
    add("documents from pages / docs per s", lambda r: r["documents_from_pages_per_s"], 0)
    add(
        "rebuild incl. documents from pages / docs per s",
        lambda r: r["size"] / (r["documents_from_pages_s"] + r["rebuild_s"]),
        0,
    )
    add("Wagtail index build / s", lambda r: r["wagtail_index_s"], 1)
    add("embedded index size / MB", lambda r: r["index_mb"])
    add("peak RSS after embedded phase / MB", lambda r: r["peak_rss_mb_after_embedded"], 0)
    add("peak RSS incl. Wagtail phase / MB", lambda r: r["peak_rss_mb_total"], 0)
    add("median matches per query", lambda r: r["matches_per_query"][10], 0)
    add("OpenSearch search p50 / ms", lambda r: r["opensearch"]["p50_ms"])
    add("OpenSearch search p95 / ms", lambda r: r["opensearch"]["p95_ms"])
    add("OpenSearch + 3 facet filters p50 / ms", lambda r: r["opensearch_faceted"]["p50_ms"])
    add("OpenSearch + 3 facet filters p95 / ms", lambda r: r["opensearch_faceted"]["p95_ms"])
    add("OpenSearch rebuild / s", lambda r: r["opensearch_rebuild_s"], 2)
    add("OpenSearch rebuild / docs per s", lambda r: r["opensearch_rebuild_docs_per_s"], 0)
    add("OpenSearch index size (primary store) / MB", lambda r: r["opensearch_index_mb"])
    add("OpenSearch JVM RSS after searches / MB", lambda r: r["opensearch_rss_mb"], 0)
    add("OpenSearch JVM peak RSS / MB", lambda r: r["opensearch_peak_rss_mb"], 0)
    add("OpenSearch node start / s", lambda r: r["opensearch_start_s"])
    add("OpenSearch median matches per query", lambda r: r["opensearch_matches_per_query"][10], 0)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
