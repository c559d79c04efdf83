"""The embedded engine against the shared contract, each test on its own index file."""

import pytest

from search.engines.embedded import EmbeddedEngine
from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms
from tests.search.contract import EngineContract


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
