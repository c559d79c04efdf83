"""The embedded engine against the shared contract, each test on its own index file."""

import pytest

from search.engines.embedded import EmbeddedEngine
from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms
from tests.search.contract import EngineContract, corpus, doc, request


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
