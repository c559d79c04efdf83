"""Defect 5: the embedded index file deleted, replaced or corrupted while the site serves.

Every request checks the file it has open is still the one on disk (an inode check), so a
replaced file is reopened and a missing or corrupt one is reported, never silently recreated
empty and never a 500. `rebuild` writes a new file and renames it into place, so every worker
(here: every thread, since connections are per thread) picks it up without a restart.
"""

import json
import os
import threading

import pytest
from django.core.management import CommandError, call_command

from search.engines import EngineUnavailable, SearchRequest, get_engine
from search.engines.embedded import EmbeddedEngine


def total(engine, query=""):
    return engine.search(SearchRequest.build(query=query)).total


def corrupt(path):
    """Overwrite the file's pages in place (same inode), as a bad disk or a stray write would."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(0)
        handle.write(b"\x00garbage" * (size // 8))


def in_thread(function):
    """Run in another thread (its own index connection, like another worker)."""
    result = {}

    def run():
        try:
            result["value"] = function()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_a_deleted_index_is_reported_not_recreated_empty(isolated_index, settings, client):
    path = settings.KB_SEARCH_INDEX_PATH
    assert total(isolated_index) > 100
    path.unlink()
    with pytest.raises(EngineUnavailable, match="missing"):
        total(get_engine())
    page = client.get("/search/?q=smoking")
    assert page.status_code == 503
    assert "being rebuilt" in page.content.decode()
    assert page["Retry-After"]
    api = client.get("/api/search/?q=smoking")
    assert api.status_code == 503
    assert api["Content-Type"].startswith("application/json")
    assert "rebuilt" in json.loads(api.content)["detail"]
    assert api["Retry-After"]
    assert client.get("/api/search/suggest/?q=smo").status_code == 503
    assert not path.exists(), "reading a missing index must not create an empty one"


def test_a_replaced_file_is_reopened_on_the_next_request(isolated_index, settings, tmp_path):
    path = settings.KB_SEARCH_INDEX_PATH
    everything = total(isolated_index)
    other = EmbeddedEngine(tmp_path / "other.sqlite3")
    other.rebuild([{"id": 1, "title": "Only page", "url": "/only/"}])
    other.close()
    os.replace(tmp_path / "other.sqlite3", path)
    assert everything > 1
    assert total(isolated_index) == 1


def test_rebuild_swaps_a_new_file_in_and_every_worker_follows(isolated_index, settings):
    path = settings.KB_SEARCH_INDEX_PATH
    before = total(isolated_index)
    assert in_thread(lambda: total(get_engine())) == before  # the "other worker" has it open
    inode = path.stat().st_ino
    call_command("search_index", "rebuild", verbosity=0)
    assert path.stat().st_ino != inode, "rebuild must build a new file and rename it in"
    # The other worker's next write lands in the file on disk, not in the replaced one.
    in_thread(lambda: get_engine().delete([_some_page_id(isolated_index)]))
    assert total(EmbeddedEngine(path)) == before - 1


def _some_page_id(engine):
    return engine.search(SearchRequest.build(query="")).hits[0].id


def test_a_corrupt_index_never_answers_500(isolated_index, settings, client):
    assert total(isolated_index) > 100
    corrupt(settings.KB_SEARCH_INDEX_PATH)
    with pytest.raises(EngineUnavailable, match="corrupt"):
        total(get_engine())
    page = client.get("/search/?q=smoking")
    assert page.status_code == 503
    assert "being rebuilt" in page.content.decode()
    api = client.get("/api/search/?q=smoking")
    assert api.status_code == 503
    assert api["Content-Type"].startswith("application/json")
    assert api["Retry-After"]


def test_check_reports_corruption_in_one_line(isolated_index, settings):
    corrupt(settings.KB_SEARCH_INDEX_PATH)
    with pytest.raises(CommandError) as raised:
        call_command("search_index", "check", verbosity=0)
    message = str(raised.value)
    assert "corrupt" in message
    assert "\n" not in message


def test_rebuild_recovers_from_a_corrupt_file(isolated_index, settings):
    expected = total(isolated_index)
    corrupt(settings.KB_SEARCH_INDEX_PATH)
    call_command("search_index", "rebuild", verbosity=0)
    assert total(get_engine()) == expected
    call_command("search_index", "check", verbosity=0)


def test_update_repairs_a_missing_or_corrupt_index(isolated_index, settings):
    expected = total(isolated_index)
    corrupt(settings.KB_SEARCH_INDEX_PATH)
    call_command("search_index", "update", verbosity=0)
    assert total(get_engine()) == expected
    settings.KB_SEARCH_INDEX_PATH.unlink()
    call_command("search_index", "update", verbosity=0)
    assert total(get_engine()) == expected
