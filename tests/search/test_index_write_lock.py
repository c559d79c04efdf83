"""The embedded index file's write lock is held for writing only (issue 24, finding 7).

The file has one write lock for every worker on the server. An update used to read the old
document and split its text into words (for the spelling table) while holding that lock, so
writers behind it waited for that work too; in a worker's first update that included building
the folding table, about 0.3 s of CPU. Now the old documents' words are worked out before the
lock is taken, and used under the lock only if the stored document is still the same one.
"""

import pytest

from kb.models import CaseStudyPage
from search import text as textmod
from search.engines import SearchRequest
from search.engines.embedded import EmbeddedEngine
from search.engines.embedded.index_file import IndexFile


@pytest.fixture
def tokenising_under_the_lock(monkeypatch):
    """For each call of `text.words`: was this thread holding the index file's write lock?"""
    holding, calls = [], []
    real_write, real_words = IndexFile._write_transaction, textmod.words

    def write_transaction(self, work):
        def under_the_lock(conn):
            holding.append(True)
            try:
                return work(conn)
            finally:
                holding.pop()

        return real_write(self, under_the_lock)

    def words(text):
        calls.append(bool(holding))
        return real_words(text)

    monkeypatch.setattr(IndexFile, "_write_transaction", write_transaction)
    monkeypatch.setattr(textmod, "words", words)
    return calls


def spelling_words(engine):
    return dict(engine.connect().execute("SELECT word, docs FROM words"))


def test_a_publish_splits_no_text_while_holding_the_index_write_lock(
    isolated_index, tokenising_under_the_lock, django_capture_on_commit_callbacks
):
    page = CaseStudyPage.objects.live().order_by("pk").first()
    page.title += " republished"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert tokenising_under_the_lock, "the publish updated the index"
    assert not any(tokenising_under_the_lock)
    found = isolated_index.search(SearchRequest.build(query="republished"))
    assert [hit.id for hit in found.hits] == [page.pk]


def test_unpublishing_splits_no_text_while_holding_the_index_write_lock(
    isolated_index, tokenising_under_the_lock, django_capture_on_commit_callbacks
):
    page = CaseStudyPage.objects.live().order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert tokenising_under_the_lock, "the unpublish updated the index"
    assert not any(tokenising_under_the_lock)


def test_an_update_keeps_the_spelling_words_right_when_another_writer_went_first(tmp_path):
    """The words read before the lock belong to a document another worker then replaced: the
    update must count the words of the document it actually removes."""
    first = {"id": 1, "title": "Breastfeeding peer support", "url": "/one/"}
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.rebuild([first])
    other_worker = EmbeddedEngine(tmp_path / "index.sqlite3")
    real_read = engine._stored_words

    def read_then_lose_the_race(ids):
        words = real_read(ids)
        other_worker.index_documents([{**first, "title": "Smoking cessation clinic"}])
        return words

    engine._stored_words = read_then_lose_the_race
    engine.index_documents([{**first, "title": "Baby friendly initiative"}])
    fresh = EmbeddedEngine(tmp_path / "fresh.sqlite3")
    fresh.rebuild([{**first, "title": "Baby friendly initiative"}])
    assert spelling_words(engine) == spelling_words(fresh)
    assert "smoking" not in spelling_words(engine)
