"""gunicorn's master does once what each worker would otherwise do on its first request.

Workers are forked from the preloaded application (`preload_app`), again each time one is
replaced after `max_requests`. A fresh worker's first publish spent about 0.8 s of CPU on
one-time work (importing the URLconf and the search engine, building the table that folds
accented text), some of it holding the index file's write lock, and ten fresh workers
publishing at once queued behind it (issue 24, finding 7; `bench/publish_burst.py --cold`).
"""

import subprocess

from config.warm_up import warm_up
from search import text

from .helpers import PYTHON, ROOT


def test_warming_up_builds_the_folding_table_without_touching_the_database():
    """No `db` fixture: a query here fails the test. A connection opened in the master would
    be shared by every forked worker."""
    text._every_combining_mark.cache_clear()
    warm_up()
    assert text._every_combining_mark.cache_info().currsize == 1


def test_the_wsgi_application_gunicorn_preloads_is_warmed_up(production_env_vars):
    probe = (
        "import config.wsgi; from search import text; "
        "print('folding table built:', text._every_combining_mark.cache_info().currsize)"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe],
        cwd=ROOT,
        env=production_env_vars,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "folding table built: 1" in result.stdout, result.stdout + result.stderr[-2000:]
