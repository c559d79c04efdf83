"""A rebuild prepares documents in worker processes once there is a batch of them
(embedded.prepare_all); the index it builds must be the one a single process builds."""

import dataclasses

import pytest

from bench.corpus import specs
from search.engines.base import SearchRequest
from search.engines.embedded import BATCH_SIZE, EmbeddedEngine, prepare, prepare_all
from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms
from tests.search.contract import corpus

TABLES = {
    "docs": "SELECT * FROM docs ORDER BY id",
    "fts": "SELECT rowid, title, summary, taxonomy, body FROM fts ORDER BY rowid",
    "titles": "SELECT rowid, title FROM titles ORDER BY rowid",
    "doc_facets": "SELECT f.facet, f.value, f.label, d.doc_id FROM doc_facets d"
    " JOIN facet_values f ON f.id = d.value_id ORDER BY 1, 2, 4",
    "words": "SELECT word, docs FROM words ORDER BY word",
}


@pytest.fixture(scope="module")
def thesaurus():
    return build_thesaurus(parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8")))


def renumbered(documents, copies):
    return [
        {**document, "id": document["id"] + copy * 1000}
        for copy in range(copies)
        for document in documents
    ]


def test_workers_prepare_the_same_rows_in_the_same_order():
    documents = renumbered(corpus(), 4)  # 48 documents in batches of 10: five windows
    in_workers = list(prepare_all(documents, workers=2, batch_size=10))
    assert in_workers == [prepare(document) for document in documents]


def test_a_parallel_rebuild_builds_the_index_one_process_builds(tmp_path, thesaurus):
    documents = specs(BATCH_SIZE + 300)  # more than one batch: the workers run
    built = {}
    for workers in (1, 2):
        engine = EmbeddedEngine(tmp_path / f"{workers}.sqlite3", thesaurus, workers=workers)
        try:
            assert engine.rebuild(documents) == len(documents)
            conn = engine.connect()
            tables = {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}
            found = engine.search(SearchRequest.build("teenage pregnancy"))
            built[workers] = (tables, dataclasses.asdict(found))
        finally:
            engine.close()
    assert built[2][0]["docs"] and len(built[2][0]["fts"]) == len(documents)
    assert built[2] == built[1]


def test_a_document_failing_in_a_worker_fails_the_rebuild_and_keeps_the_live_index(
    tmp_path, thesaurus
):
    engine = EmbeddedEngine(tmp_path / "index.sqlite3", thesaurus, workers=2)
    try:
        engine.rebuild(corpus())
        documents = renumbered(corpus(), 5)
        del documents[-1]["id"]  # in the last window, so earlier rows were already inserted
        with pytest.raises(KeyError):
            list(prepare_all(documents, workers=2, batch_size=10))
        with pytest.raises(KeyError):
            engine.rebuild(renumbered(corpus(), 200)[:-1] + [documents[-1]])
        assert engine.search(SearchRequest.build()).total == len(corpus())
        assert sorted(path.name for path in tmp_path.iterdir()) == ["index.sqlite3"]
    finally:
        engine.close()
