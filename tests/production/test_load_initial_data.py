"""Defect 6: `load_initial_data` leaves the index complete whatever happened before.

It compares the index with the published pages, then repairs: it builds the index when there is
none (or it is unreadable), re-sends what is missing or stale, and leaves a complete index alone.
"""

import shutil
import signal
import sqlite3
import subprocess

import pytest

from .helpers import PYTHON, ROOT, manage, production_env

# Run load_initial_data, but die with SIGKILL at the 25th index update: the 25th page's database
# commit has happened, its index write has not (as a kill -9 just after a commit would leave it).
KILLED_LOAD = """
import os, signal, sys, django
django.setup()
from search import indexing
real = indexing.sync_page_ids
calls = []
def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == 25:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
indexing.sync_page_ids = dying
from django.core.management import call_command
call_command(sys.argv[1], verbosity=0)
"""


@pytest.fixture
def fresh_site(tmp_path, migrated_empty_database):
    shutil.copy(migrated_empty_database, tmp_path / "db.sqlite3")
    return production_env(tmp_path), tmp_path


def indexed_count(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM docs").fetchone()[0]


def published_count(env):
    result = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from search.documents import all_documents; print(len(list(all_documents())))",
    )
    return int(result.stdout.strip().splitlines()[-1])


def load(env):
    result = manage(env, "load_initial_data")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_load_initial_data_compares_then_repairs(fresh_site):
    """One site through three mishaps (each load takes a while, so they share one database)."""
    env, tmp_path = fresh_site
    index = tmp_path / "search-index.sqlite3"
    built = manage(env, "search_index", "rebuild")  # an empty database: an empty index
    assert built.returncode == 0, built.stderr

    # 1. kill -9 part way through the load, after a page's commit and before its index write.
    killed = subprocess.run(
        [PYTHON, "-c", KILLED_LOAD, "load_initial_data"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    published = published_count(env)
    assert 0 < indexed_count(index) < published  # the kill left the index part-built
    load(env)
    assert indexed_count(index) == published

    # 2. A complete index is left alone: not rebuilt, and the output says it is complete.
    inode = index.stat().st_ino
    output = load(env)
    assert "0 item(s) created or updated" in output
    assert f"Search index complete: {published} pages" in output
    assert index.stat().st_ino == inode, "a complete index must not be rebuilt"

    # 3. Missing and stale documents are re-sent in place.
    with sqlite3.connect(index) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM docs ORDER BY id LIMIT 100")]
        conn.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in ids[5:]])
        conn.execute("UPDATE docs SET checksum = 'stale' WHERE id = ?", (ids[0],))
    output = load(env)
    assert "Indexed 95 missing and 1 changed pages" in output
    assert indexed_count(index) == published
    assert index.stat().st_ino == inode


def test_load_content_rerun_after_a_kill_leaves_the_index_complete_and_check_says_so(fresh_site):
    """Finding 6 (issue 24): killed after its commits, `load_content` left 1 of 129 pages indexed
    and a re-run said "0 item(s) created or updated" and left them missing; `manage.py check`
    passed meanwhile."""
    env, tmp_path = fresh_site
    index = tmp_path / "search-index.sqlite3"
    assert manage(env, "search_index", "rebuild").returncode == 0
    killed = subprocess.run(
        [PYTHON, "-c", KILLED_LOAD, "load_content"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    published = published_count(env)
    assert 0 < indexed_count(index) < published

    check = manage(env, "check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "(search.E002) the embedded search index disagrees with the database" in check.stderr
    assert f"{published - indexed_count(index)} published page(s) missing" in check.stderr

    rerun = manage(env, "load_content")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert indexed_count(index) == published
    check = manage(env, "check")
    assert check.returncode == 0, check.stdout + check.stderr
