"""Search test helpers. Tests that change the index get their own index file (`isolated_index`).

The shared index is built once per test run by `load_initial_data`; the database rolls back after
each test but that file does not, so it must stay read-only.
"""

import pytest
from django.core.management import call_command

from search.engines import get_engine


@pytest.fixture
def isolated_index(db, settings, tmp_path):
    """An index file of this test's own, built from the published pages."""
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    call_command("search_index", "rebuild", verbosity=0)
    engine = get_engine()
    yield engine
    engine.close()
