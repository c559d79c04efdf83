"""Benchmarks for the embedded search engine (`make bench`, i.e. `python -m bench`).

Each corpus size runs in its own process (`python -m bench.run --size N`) so its peak RSS is its
own. See docs/search.md for what is measured and how to read the table.
"""
