"""Shared test set-up: the report's content is loaded once per test database (per xdist worker).

Tests then run inside transactions on top of it, so never use `transactional_db` (it would
truncate the content for every later test); browser tests run a real server on a copy instead.

The shared search index is built once too, but a file does not roll back with the database: a
test that publishes would leave its page in the index for every later test. So a pristine copy
is kept, and after any test that changed the index file it is put back (an atomic rename, which
the embedded engine notices by inode and reopens).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

_SHARED_INDEX = {}


def _stamp(path):
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_initial_data", verbosity=0)
    path = Path(settings.KB_SEARCH_INDEX_PATH)
    pristine = path.with_name(path.name + ".pristine")
    shutil.copyfile(path, pristine)
    _SHARED_INDEX.update(path=path, pristine=pristine, stamp=_stamp(path))


@pytest.fixture(autouse=True)
def shared_index_stays_pristine():
    """Torn down last (it depends on nothing), so after the test's transaction rolled back."""
    yield
    if not _SHARED_INDEX or _stamp(_SHARED_INDEX["path"]) == _SHARED_INDEX["stamp"]:
        return
    path = _SHARED_INDEX["path"]
    restoring = path.with_name(path.name + ".restoring")
    shutil.copyfile(_SHARED_INDEX["pristine"], restoring)
    os.replace(restoring, path)
    _SHARED_INDEX["stamp"] = _stamp(path)


@pytest.fixture(autouse=True)
def page_cache_starts_empty():
    """Each test's writes roll back, so its generation numbers come round again in the next
    test: cached pages must not outlive the test that rendered them (kb.page_cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from kb.models import HomePage

    return HomePage.objects.get()
