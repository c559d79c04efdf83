"""One-time work of a worker's first request, done once in gunicorn's master before it forks.

gunicorn preloads the application (`preload_app` in config/gunicorn.py) and forks every worker
from it, again each time one is replaced after `max_requests`; what the master has built, each
worker has without paying for it. Without this, a fresh worker's first publish spent about
0.8 s of CPU on importing the URLconf and the search engine and on building the table that
folds accented text, some of it while holding the search index file's write lock, so ten
fresh workers publishing at once queued behind each other's warm-up (issue 24, finding 7;
`python -m bench.publish_burst --cold` shows it).

Nothing here touches the database: a connection opened in the master would be shared by
every forked worker.
"""

from __future__ import annotations

import importlib

from django.urls import get_resolver, reverse

from search import text


def warm_up() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    reverse("search")  # builds the resolver's reverse tables
    importlib.import_module("search.engines.embedded")  # every server's engine or fallback
    text.fold("café")  # the first accented text builds the folding table
