"""The embedded engine against the shared contract, each test on its own index file."""

import pytest

from search.engines.embedded import EmbeddedEngine, bitmaps
from search.synonyms import SYNONYMS_FILE, Concept, build_thesaurus, parse_synonyms
from tests.search.contract import EngineContract, corpus, doc, ids, request


@pytest.fixture
def file_thesaurus():
    """Synonyms from the file only, so the contract needs no database."""
    return build_thesaurus(parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8")))


class TestEmbeddedEngine(EngineContract):
    @pytest.fixture
    def engine(self, tmp_path, file_thesaurus):
        engine = EmbeddedEngine(tmp_path / "index.sqlite3", thesaurus=file_thesaurus)
        yield engine
        engine.close()


def test_glossary_acronym_typed_in_lower_case_is_not_corrected(tmp_path):
    # CDOP is only in the glossary (not the synonyms file), absent from this index, and one edit
    # from "crop"; typed in lower case, the capitals rule does not protect it.
    glossary = [("CDOP", "Child Death Overview Panel")]
    engine = EmbeddedEngine(tmp_path / "index.sqlite3", thesaurus=build_thesaurus([], glossary))
    try:
        engine.rebuild([doc(1, "Allotments", "case_study", summary="Families grow a crop.")])
        response = engine.search(request("cdop"))
        assert (response.total, response.suggestion) == (0, None)
        assert engine.search(request("crpo")).suggestion == "crop"
    finally:
        engine.close()


def test_word_counts_after_updates_and_deletes_match_a_fresh_rebuild(tmp_path, file_thesaurus):
    def word_counts(engine):
        return dict(engine.connect().execute("SELECT word, docs FROM words"))

    documents = corpus()
    live = EmbeddedEngine(tmp_path / "live.sqlite3", thesaurus=file_thesaurus)
    fresh = EmbeddedEngine(tmp_path / "fresh.sqlite3", thesaurus=file_thesaurus)
    try:
        live.rebuild(documents)
        changed = {**documents[0], "body": "Entirely new wording about zebra crossings."}
        live.index_documents([changed])
        live.delete([documents[1]["id"]])
        fresh.rebuild([changed, *documents[2:]])
        assert "zebra" in word_counts(live)
        assert word_counts(live) == word_counts(fresh)
    finally:
        live.close()
        fresh.close()


def test_cached_page_sets_never_outlive_a_write(tmp_path, file_thesaurus):
    """Each FTS5 expression's pages are cached per index generation: the same query, asked
    before and after each kind of write, always sees the write."""
    engine = EmbeddedEngine(tmp_path / "index.sqlite3", thesaurus=file_thesaurus)
    try:
        documents = corpus()
        engine.rebuild(documents)
        assert 110 in ids(engine.search(request("overcrowding")))
        assert ids(engine.search(request("zebra crossings"))) == []
        changed = {
            **documents[9],
            "title": "Road safety near the clinic",
            "summary": "Zebra crossings near the clinic.",
        }
        engine.index_documents([changed])
        assert 110 not in ids(engine.search(request("overcrowding")))
        assert ids(engine.search(request("zebra crossings"))) == [110]
        engine.delete([110])
        assert ids(engine.search(request("zebra crossings"))) == []
        engine.rebuild(documents)
        assert 110 in ids(engine.search(request("overcrowding")))
    finally:
        engine.close()


def test_the_page_set_cache_is_bounded_least_recently_used_out(monkeypatch):
    monkeypatch.setattr(bitmaps, "MATCH_CACHE_SIZE", 2)
    state = bitmaps.IndexState(key=("1",))
    asked = []

    def find(match):
        asked.append(match)
        return len(asked)

    assert [state.matching(m, find) for m in ("a", "b", "a", "c", "a", "b")] == [1, 2, 1, 3, 1, 4]
    assert asked == ["a", "b", "c", "b"]  # "b" was least recently used when "c" came
    # The label checks, one per concept typed, are bounded too.
    for word in ("housing", "smoking", "breastfeeding", "sleep"):
        state.labels_hold(Concept(typed=(word,)))
    assert len(state._label_holds) <= 2
